namespace EventLog.Storage.TaskLog;

/// <summary>Filters of a task list (newest first). Null = not filtered; Project null = all projects (admin).</summary>
public sealed record TaskFilter
{
    public string? Project { get; init; }
    public TaskState? State { get; init; }
    public string? App { get; init; }
    public string? TargetPrefix { get; init; }
    /// <summary>Created at or after (inclusive).</summary>
    public DateTime? CreatedFrom { get; init; }
    /// <summary>Created before (exclusive).</summary>
    public DateTime? CreatedTo { get; init; }
}
