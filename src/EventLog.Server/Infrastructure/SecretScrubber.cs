using System.Text.RegularExpressions;

namespace EventLog.Server.Infrastructure;

/// <summary>
/// Masks secrets in free text and parameters before they are stored, so no reader is ever served one: task log
/// lines, progress messages, provisioning event info, request and failure parameters. Key names are matched as
/// words (<c>OS_PASSWORD</c>, <c>dbPassword</c>, <c>api-key</c>; not <c>monkey</c>), and values by their shape:
/// Bearer and Basic credentials, JWTs, AWS access key ids, PEM private key blocks, passwords in URLs.
/// </summary>
public static partial class SecretScrubber
{
    /// <summary>What a secret becomes.</summary>
    public const string Mask = "***";

    /// <summary>Words that make a key name secret on their own.</summary>
    private static readonly HashSet<string> SecretWords = new(StringComparer.Ordinal)
    {
        "password", "passwd", "pwd", "pass", "passphrase", "secret", "token", "credential", "credentials", "apikey", "authorization",
    };

    /// <summary>Two words that together make a key name secret (<c>api_key</c>, <c>privateKey</c>).</summary>
    private static readonly HashSet<(string, string)> SecretPairs =
    [
        ("api", "key"), ("private", "key"), ("access", "key"), ("secret", "key"), ("client", "secret"), ("session", "id"),
    ];

    /// <summary>True when a parameter or field name holds a secret by its words.</summary>
    public static bool IsSecretName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var words = Words(name);
        for (var i = 0; i < words.Count; i++)
        {
            if (SecretWords.Contains(words[i]) || (i > 0 && SecretPairs.Contains((words[i - 1], words[i]))))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary><paramref name="text"/> with every secret it holds masked; null stays null.</summary>
    public static string? Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }
        text = PrivateKeyBlock().Replace(text, "-----BEGIN PRIVATE KEY-----" + Mask + "-----END PRIVATE KEY-----");
        text = BearerCredential().Replace(text, m => m.Groups["scheme"].Value + " " + Mask);
        text = BasicCredential().Replace(text, m => IsBase64Credential(m.Groups["credential"].Value) ? m.Groups["scheme"].Value + " " + Mask : m.Value);
        text = Jwt().Replace(text, Mask);
        text = AwsAccessKeyId().Replace(text, Mask);
        text = UrlPassword().Replace(text, m => m.Groups["user"].Value + ":" + Mask + "@");
        return text.AsSpan().IndexOfAny('=', ':') < 0 ? text : MaskSecretValues(text);
    }

    /// <summary>
    /// Masks the values of secret keys. A match takes only a key and its separator (the value is looked at, not
    /// taken), so a key inside another key's value is found too: <c>failed: OS_PASSWORD=x</c>.
    /// </summary>
    private static string MaskSecretValues(string text)
    {
        System.Text.StringBuilder? masked = null;
        var copied = 0;
        foreach (Match match in KeyValue().Matches(text))
        {
            var value = match.Groups["value"];
            if (match.Index < copied || !IsSecretName(match.Groups["key"].Value) || IsMaskedAlready(value.Value))
            {
                continue;
            }
            masked ??= new System.Text.StringBuilder(text.Length);
            masked.Append(text, copied, value.Index - copied).Append(QuoteLike(value.Value, Mask));
            copied = value.Index + value.Length;
        }
        return masked is null ? text : masked.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>A copy with the values of secret names masked and secrets inside other values masked too.</summary>
    public static Dictionary<string, string> ScrubParams(IEnumerable<KeyValuePair<string, string>> parameters) =>
        parameters.ToDictionary(p => p.Key, p => IsSecretName(p.Key) ? Mask : Scrub(p.Value)!, StringComparer.Ordinal);

    /// <summary>Lower-case words of a name: split at non-letters and digits, and where camelCase turns upper.</summary>
    private static List<string> Words(string name)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= name.Length; i++)
        {
            var boundary = i == name.Length || !char.IsLetterOrDigit(name[i]) || (i > 0 && char.IsUpper(name[i]) && char.IsLower(name[i - 1]));
            if (boundary && start >= 0)
            {
                words.Add(name[start..i].ToLowerInvariant());
                start = -1;
            }
            if (i < name.Length && char.IsLetterOrDigit(name[i]) && start < 0)
            {
                start = i;
            }
        }
        return words;
    }

    /// <summary>The mask, or the scheme of a credential masked before (<c>Authorization: Bearer ***</c>).</summary>
    private static bool IsMaskedAlready(string value) => value is Mask or "Bearer" or "bearer" or "Basic";

    /// <summary>
    /// base64 of user:password has a length divisible by 4 and is not a plain lower-case word, which tells
    /// <c>Basic dXNlcjpwYXNz</c> from <c>Basic configuration</c>.
    /// </summary>
    private static bool IsBase64Credential(string value) =>
        value.Length % 4 == 0 && !value.All(char.IsAsciiLetterLower);

    private static string QuoteLike(string value, string replacement) =>
        value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0] ? value[0] + replacement + value[0] : replacement;

    [GeneratedRegex(@"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|$)")]
    private static partial Regex PrivateKeyBlock();

    [GeneratedRegex(@"\b(?<scheme>[Bb]earer)\s+[A-Za-z0-9\-._~+/]{8,}=*")]
    private static partial Regex BearerCredential();

    [GeneratedRegex(@"\b(?<scheme>Basic)\s+(?<credential>[A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])")]
    private static partial Regex BasicCredential();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b")]
    private static partial Regex AwsAccessKeyId();

    [GeneratedRegex(@"(?<=[A-Za-z][A-Za-z0-9+.-]*://)(?<user>[^\s:/@]+):[^\s/@]+@")]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"(?<![A-Za-z0-9_.])(?<key>[A-Za-z_][A-Za-z0-9_.-]{0,63})(?<quote>[""']?)(?<sep>[ \t]*[=:][ \t]*)(?=(?<value>""[^""\n]*""|'[^'\n]*'|[^\s,;&""']+))")]
    private static partial Regex KeyValue();
}
