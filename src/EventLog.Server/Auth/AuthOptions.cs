using System.ComponentModel.DataAnnotations;

namespace EventLog.Server.Auth;

/// <summary>Authentication settings (configuration section <c>Auth</c>).</summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Auth";

    /// <summary>
    /// <c>Development</c>: one admin token, <see cref="DevelopmentToken"/> or a random one printed at start,
    /// plus any configured tokens. <c>Production</c>: only configured tokens; the server refuses to start
    /// without any. Default: <c>Development</c> in the Development environment (<c>ASPNETCORE_ENVIRONMENT</c>,
    /// which <c>dotnet run</c> sets from launchSettings.json), <c>Production</c> everywhere else, so an
    /// installed server never hands out an admin token by itself.
    /// </summary>
    public AuthMode? Mode { get; set; }

    /// <summary>The development admin token; null (default) makes a random one at each start.</summary>
    public string? DevelopmentToken { get; set; }

    /// <summary>The project of the development admin token. Default <c>default</c>.</summary>
    public string DevelopmentProject { get; set; } = "default";

    /// <summary>Configured tokens, stored as SHA-256 hashes. Default: none.</summary>
    public IList<TokenOptions> Tokens { get; } = new List<TokenOptions>();
}

/// <summary>How the server authenticates callers.</summary>
public enum AuthMode
{
    /// <summary>A single admin token for a first run; configured tokens work too.</summary>
    Development,
    /// <summary>Configured tokens only.</summary>
    Production,
}

/// <summary>One configured token.</summary>
public sealed class TokenOptions
{
    /// <summary>A name for logs (never the token). Required.</summary>
    [Required]
    public string Name { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the token (<c>eventlog token hash</c> prints it). Required.</summary>
    [Required]
    public string Sha256 { get; set; } = "";

    /// <summary>The project the token belongs to. Required.</summary>
    [Required]
    public string Project { get; set; } = "";

    /// <summary>Roles: reader, member, agent, admin. Required.</summary>
    public IList<string> Roles { get; } = new List<string>();
}
