namespace EventLog.Storage.TaskLog;

/// <summary>
/// What the task lifecycle writes to the request log as TASK entries: status codes from 1000 up, apart from
/// the HTTP statuses of request entries, and the catalog message code of each.
/// </summary>
public static class TaskStatusCodes
{
    /// <summary>Kind of the request-log entries the task lifecycle writes.</summary>
    public const string TaskKind = "TASK";
    /// <summary>Task started.</summary>
    public const int Started = 1000;
    /// <summary>Task completed successfully.</summary>
    public const int Succeeded = 1001;
    /// <summary>Task failed.</summary>
    public const int Failed = 1002;
    /// <summary>Task cancelled.</summary>
    public const int Cancelled = 1003;

    /// <summary>Message code of the "Started task ID {task_id}: {target_uri}" entry.</summary>
    public const string StartedMessage = "WOKASYNC0001L";
    /// <summary>Message code of the "Failure on task ID {task_id}: {target_uri}" entry.</summary>
    public const string FailedMessage = "WOKASYNC0002L";
    /// <summary>Message code of the "Successfully completed task ID {task_id}: {target_uri}" entry.</summary>
    public const string SucceededMessage = "WOKASYNC0003L";
    /// <summary>Message code of the "Cancelled task ID {task_id}: {target_uri}" entry.</summary>
    public const string CancelledMessage = "WOKASYNC0004L";
}
