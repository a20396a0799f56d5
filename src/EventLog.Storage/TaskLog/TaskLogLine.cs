namespace EventLog.Storage.TaskLog;

/// <summary>One log line of a task; <see cref="LineNo"/> is the line's sequence in the task's line stream.</summary>
public sealed record TaskLogLine
{
    public long TaskId { get; init; }
    public long LineNo { get; init; }
    public DateTime LoggedAt { get; init; }
    public string Text { get; init; } = "";
}
