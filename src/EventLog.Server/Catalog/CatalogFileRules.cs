using System.Text.RegularExpressions;

namespace EventLog.Server.Catalog;

/// <summary>
/// What a deployer's catalog file must satisfy so that every stored code keeps rendering: locales are BCP 47
/// tags, codes are what writes may name (1-64 characters, no spaces), and templates are non-empty with every
/// <c>{</c> closed by a <c>}</c> around a parameter name.
/// </summary>
public static partial class CatalogFileRules
{
    /// <summary>Longest code; writes longer than this are INVALID_ARGUMENT, so a longer code could never be used.</summary>
    public const int MaxCodeLength = FieldLimits.Code;

    /// <summary>Every problem of <paramref name="file"/>, each as <c>table.locale.code: what is wrong</c>; empty when valid.</summary>
    public static IReadOnlyList<string> Check(CatalogFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        List<string> problems = [];
        CheckTable("requestMessages", file.RequestMessages, problems);
        CheckTable("actions", file.Actions, problems);
        CheckTable("details", file.Details, problems);
        return problems;
    }

    private static void CheckTable(string table, Dictionary<string, Dictionary<string, string>>? locales, List<string> problems)
    {
        if (locales is null)
        {
            problems.Add($"{table}: must be an object of locales, not null");
            return;
        }

        foreach (var (locale, templates) in locales)
        {
            if (!RequestChecks.IsLocaleTag(locale))
            {
                problems.Add($"{table}.{locale}: '{locale}' is not a BCP 47 language tag such as 'en' or 'pt-BR'");
            }

            if (templates is null)
            {
                problems.Add($"{table}.{locale}: must be an object of code → template, not null");
                continue;
            }

            foreach (var (code, template) in templates)
            {
                if (!CodeName().IsMatch(code))
                {
                    problems.Add($"{table}.{locale}.{code}: a code must be 1-{MaxCodeLength} characters without spaces");
                }

                if (TemplateProblem(template) is { } problem)
                {
                    problems.Add($"{table}.{locale}.{code}: {problem}");
                }
            }
        }
    }

    private static string? TemplateProblem(string? template)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            return "the template is empty";
        }

        for (var open = template.IndexOf('{', StringComparison.Ordinal); open >= 0; open = template.IndexOf('{', open + 1))
        {
            var close = template.IndexOf('}', open + 1);
            var nextOpen = template.IndexOf('{', open + 1);
            if (close < 0 || (nextOpen >= 0 && nextOpen < close))
            {
                return $"the '{{' at position {open} is not closed by '}}'";
            }

            var name = template[(open + 1)..close];
            if (!RequestChecks.IsParamName(name))
            {
                return $"'{{{name}}}' does not name a parameter (1-{FieldLimits.Code} letters, digits, '_', '-' or '.')";
            }
        }

        return null;
    }

    // 1 to MaxCodeLength characters; attribute arguments cannot format a constant.
    [GeneratedRegex(@"^\S{1,64}$")]
    private static partial Regex CodeName();
}
