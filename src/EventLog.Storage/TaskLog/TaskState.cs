namespace EventLog.Storage.TaskLog;

/// <summary>Lifecycle state of an async task.</summary>
public enum TaskState
{
    /// <summary>Recorded, not started yet.</summary>
    Queued = 1,
    /// <summary>Running.</summary>
    Running = 2,
    /// <summary>Finished successfully (request log status 1001).</summary>
    Succeeded = 3,
    /// <summary>Finished with an error (status 1002).</summary>
    Failed = 4,
    /// <summary>Cancelled after a cancel request (status 1003).</summary>
    Cancelled = 5,
}
