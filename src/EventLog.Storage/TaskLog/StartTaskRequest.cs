namespace EventLog.Storage.TaskLog;

/// <summary>Starts a task: stores it Running and writes the TASK 1000 entry linked to the spawning request.</summary>
public sealed record StartTaskRequest
{
    public required string Project { get; init; }
    public required string App { get; init; }
    public required string TargetUri { get; init; }
    public string Zone { get; init; } = "UTC";
    /// <summary>Client request id of the spawning request (also stored on the TASK entries).</summary>
    public string? RequestId { get; init; }
    /// <summary>Request log entry that spawned the task; it gets linked to the task.</summary>
    public long? SpawningEntryId { get; init; }
    /// <summary>Store the task Queued instead of Running (no TASK entry until it starts).</summary>
    public bool Queued { get; init; }
    public string? IdempotencyKey { get; init; }
}
