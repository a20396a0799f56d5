using System.Security.Cryptography;
using System.Text;

namespace EventLog.Interop.Tests.Hosting;

/// <summary>
/// The bearer tokens a host started in production auth mode accepts. The host is given only their SHA-256
/// hashes (Auth:Tokens:n:Sha256), as an operator configures it, so the tests go through the same token
/// lookup a deployment does rather than the development shortcut.
/// </summary>
public static class InteropTokens
{
    /// <summary>The project both tokens belong to.</summary>
    public const string Project = "interop";

    /// <summary>An admin: may write and name any project.</summary>
    public const string Admin = "interop-admin-4f1d9c";

    /// <summary>A reader of <see cref="Project"/>: writes are PERMISSION_DENIED.</summary>
    public const string Reader = "interop-reader-8b27e0";

    private static readonly (string Token, string Name, string Role)[] All = [(Admin, "interop-admin", "admin"), (Reader, "interop-reader", "reader")];

    /// <summary>Environment variables of the host (double underscores are configuration sections).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Environment()
    {
        yield return new("Auth__Mode", "Production");
        yield return new("Auth__DevelopmentToken", null);
        for (var i = 0; i < All.Length; i++)
        {
            var (token, name, role) = All[i];
            yield return new($"Auth__Tokens__{i}__Name", name);
            yield return new($"Auth__Tokens__{i}__Sha256", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))));
            yield return new($"Auth__Tokens__{i}__Project", Project);
            yield return new($"Auth__Tokens__{i}__Roles__0", role);
        }
    }
}
