namespace EventLog.Storage.TaskLog;

/// <summary>A stored async task.</summary>
public sealed record TaskInfo
{
    public long Id { get; init; }
    public string Project { get; init; } = "";
    public string App { get; init; } = "";
    public string TargetUri { get; init; } = "";
    public TaskState State { get; init; }
    public bool CancelRequested { get; init; }
    public int ProgressPercent { get; init; }
    public string? ProgressMessage { get; init; }
    /// <summary>Client request id of the request that spawned the task.</summary>
    public string? RequestId { get; init; }
    /// <summary>Request log entry of the request that spawned the task (its outcome is this task's outcome).</summary>
    public long? RequestEntryId { get; init; }
    public string Zone { get; init; } = "UTC";
    public string? DetailCode { get; init; }
    public string? DetailParams { get; init; }
    /// <summary>Number of log lines (the last line number).</summary>
    public long LineCount { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    /// <summary>Last sequence of the task's state stream (<see cref="StreamKeys.TaskState"/>): bumps on every change.</summary>
    public long Version { get; init; }

    /// <summary>True once the task succeeded, failed or was cancelled.</summary>
    public bool IsFinished => State is TaskState.Succeeded or TaskState.Failed or TaskState.Cancelled;

    /// <summary>Run time so far (to <paramref name="now"/> while running); null before it started.</summary>
    public TimeSpan? GetDuration(DateTime now) => StartedAt is { } s ? (FinishedAt ?? now) - s : null;
}
