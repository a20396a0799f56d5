using System.Security.Cryptography;
using System.Text;

namespace EventLog.Soak;

/// <summary>An agent and a reader per project; the server gets their SHA-256 hashes, as in production.</summary>
public static class SoakTokens
{
    public static string Project(int p) => $"soak-{p}";

    public static string Agent(int p) => $"soak-agent-{p}-{Suffix}";

    public static string Reader(int p) => $"soak-reader-{p}-{Suffix}";

    private static readonly string Suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Environment variables configuring the tokens (Auth:Tokens:n:...).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Environment(int projects)
    {
        var i = 0;
        for (var p = 0; p < projects; p++)
        {
            foreach (var (token, name, role) in new[] { (Agent(p), $"agent-{p}", "agent"), (Reader(p), $"reader-{p}", "reader") })
            {
                yield return new($"Auth__Tokens__{i}__Name", name);
                yield return new($"Auth__Tokens__{i}__Sha256", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))));
                yield return new($"Auth__Tokens__{i}__Project", Project(p));
                yield return new($"Auth__Tokens__{i}__Roles__0", role);
                i++;
            }
        }
    }
}
