using System.Security.Cryptography;
using System.Text;

namespace EventLog.Server.Auth;

/// <summary>Maps bearer tokens to principals by their SHA-256 hash; plain tokens are never kept.</summary>
public sealed class TokenStore
{
    private readonly Dictionary<string, EventLogPrincipal> _byHash = new(StringComparer.Ordinal);

    /// <summary>Builds the store from options; in development mode adds the admin token.</summary>
    public TokenStore(IOptions<AuthOptions> options)
    {
        var value = options.Value;
        foreach (var token in value.Tokens)
        {
            _byHash[token.Sha256.ToLowerInvariant()] = new EventLogPrincipal(token.Name, token.Project, ParseRoles(token.Roles));
        }
        if (value.Mode == AuthMode.Development)
        {
            DevelopmentToken = string.IsNullOrEmpty(value.DevelopmentToken)
                ? "dev-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))
                : value.DevelopmentToken;
            _byHash[Hash(DevelopmentToken)] = new EventLogPrincipal("development-admin", value.DevelopmentProject, Roles.Admin);
        }
    }

    /// <summary>The development admin token, or null in production mode.</summary>
    public string? DevelopmentToken { get; }

    /// <summary>The principal of a token, or null when unknown.</summary>
    public EventLogPrincipal? Find(string token) => _byHash.GetValueOrDefault(Hash(token));

    /// <summary>The token of an <c>authorization: Bearer &lt;token&gt;</c> header; false when there is none.</summary>
    public static bool TryReadBearer(string? header, out string token)
    {
        const string scheme = "Bearer ";
        token = header is not null && header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : "";
        return token.Length > 0;
    }

    /// <summary>Lower-case hex SHA-256 of a token, as configured in <c>Auth:Tokens:n:Sha256</c>.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Parses role names; unknown names are an error.</summary>
    public static Roles ParseRoles(IEnumerable<string> names)
    {
        var roles = Roles.None;
        foreach (var name in names)
        {
            roles |= Enum.TryParse<Roles>(name, ignoreCase: true, out var role) && role != Roles.None
                ? role
                : throw new InvalidOperationException($"Unknown role '{name}'. Known roles: reader, member, agent, admin.");
        }
        return roles;
    }
}
