namespace EventLog.Server.Services.TaskLog;

/// <summary>Replaces the values of secret-looking parameters before they are stored (seed 000's request log).</summary>
public static class SecretParams
{
    /// <summary>What a scrubbed value becomes.</summary>
    public const string Mask = "***";

    private static readonly string[] SecretWords = ["password", "passwd", "pwd", "token", "secret", "key", "credential"];

    /// <summary>True when a parameter name looks like it holds a secret.</summary>
    public static bool IsSecret(string name) =>
        SecretWords.Any(word => name.Contains(word, StringComparison.OrdinalIgnoreCase));

    /// <summary>A copy with secret-looking values masked.</summary>
    public static Dictionary<string, string> Scrub(IEnumerable<KeyValuePair<string, string>> parameters) =>
        parameters.ToDictionary(p => p.Key, p => IsSecret(p.Key) ? Mask : p.Value, StringComparer.Ordinal);
}
