namespace EventLog.Server.Auth;

/// <summary>Who is calling: a token's name, its project and roles. Never holds the token itself.</summary>
public sealed record EventLogPrincipal(string Name, string Project, Roles Roles)
{
    /// <summary>Whether the principal is an administrator.</summary>
    public bool IsAdmin => Roles.HasFlag(Roles.Admin);

    /// <summary>Whether the principal's roles allow an access kind (in its own project).</summary>
    public bool Allows(Access access) => IsAdmin || access switch
    {
        Access.Read => Roles != Roles.None,
        Access.Manage => Roles.HasFlag(Roles.Member),
        Access.Write => Roles.HasFlag(Roles.Agent),
        _ => false,
    };
}
