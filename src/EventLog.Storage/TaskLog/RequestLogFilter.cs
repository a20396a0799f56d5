namespace EventLog.Storage.TaskLog;

/// <summary>Filters of a request log list (newest first). Null = not filtered; Project null = all projects (admin).</summary>
public sealed record RequestLogFilter
{
    public string? Project { get; init; }
    public string? App { get; init; }
    public string? Kind { get; init; }
    public int? Status { get; init; }
    public string? UserName { get; init; }
    public string? ClientIp { get; init; }
    /// <summary>At or after (inclusive).</summary>
    public DateTime? From { get; init; }
    /// <summary>Before (exclusive).</summary>
    public DateTime? To { get; init; }
    /// <summary>Entries linked to this task (its spawning request and its TASK entries).</summary>
    public long? TaskId { get; init; }
    /// <summary>Entries that happened while this task ran (from its start to its finish, or now).</summary>
    public long? DuringTaskId { get; init; }
    /// <summary>Entries with this client request id (a spawning request and its task's entries share it).</summary>
    public string? RequestId { get; init; }
    /// <summary>Entries with this final outcome.</summary>
    public RequestOutcome? Outcome { get; init; }
    /// <summary>Entries served by this node: in the list's time order, the node's history.</summary>
    public string? Node { get; init; }
    /// <summary>List oldest first, in recording order (by id), instead of newest first.</summary>
    public bool OldestFirst { get; init; }
}
