using System.Text;

namespace EventLog.Server.Catalog;

/// <summary>Fills <c>{name}</c> placeholders of a catalog template; unknown names stay visible as written.</summary>
public static class CatalogTemplate
{
    /// <summary>Renders <paramref name="template"/> with <paramref name="parameters"/>.</summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> parameters)
    {
        var open = template.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            return template;
        }

        var text = new StringBuilder(template.Length + 32);
        var position = 0;
        while (open >= 0)
        {
            var close = template.IndexOf('}', open + 1);
            if (close < 0)
            {
                break;
            }

            var name = template.AsSpan(open + 1, close - open - 1).ToString();
            text.Append(template, position, open - position);
            text.Append(parameters.TryGetValue(name, out var value) ? value : template.AsSpan(open, close - open + 1));
            position = close + 1;
            open = template.IndexOf('{', position);
        }

        return text.Append(template, position, template.Length - position).ToString();
    }
}
