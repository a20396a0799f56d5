namespace EventLog.Server.Auth;

/// <summary>What a token may do; a token may hold several roles, and <see cref="Access"/> says which each RPC needs.</summary>
[Flags]
public enum Roles
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary>List, get, watch and tail in its own project.</summary>
    Reader = 1,
    /// <summary>Reader plus user actions: delete, cancel, enable/disable/publish/discard logs.</summary>
    Member = 2,
    /// <summary>Writes events and logs for its own project (services and guest agents); may read its own project.</summary>
    Agent = 4,
    /// <summary>Everything, in every project, including non-exposed guest logs.</summary>
    Admin = 8,
}

/// <summary>The kind of access an RPC needs.</summary>
public enum Access
{
    /// <summary>Reading: any role.</summary>
    Read,
    /// <summary>User actions and deletes: member or admin.</summary>
    Manage,
    /// <summary>Recording events and logs: agent or admin.</summary>
    Write,
}
