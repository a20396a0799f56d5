namespace EventLog.Storage.TaskLog;

/// <summary>
/// Final outcome of a request log entry. A request that spawned a task follows the task; TASK entries
/// take it from their status; other entries from their HTTP status (400 and above failed).
/// </summary>
public enum RequestOutcome
{
    /// <summary>Not computed (an entry built in memory).</summary>
    Unknown = 0,
    /// <summary>The spawned task has not finished yet.</summary>
    Pending = 1,
    /// <summary>Succeeded.</summary>
    Succeeded = 2,
    /// <summary>Failed.</summary>
    Failed = 3,
    /// <summary>The spawned task was cancelled.</summary>
    Cancelled = 4,
}
