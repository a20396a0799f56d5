namespace EventLog.Server.Services.TaskLog;

/// <summary>TaskLog service settings, bound from the <c>TaskLog</c> configuration section.</summary>
public sealed class TaskLogOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "TaskLog";

    /// <summary>Idle time after which WatchTaskState and a followed TailTaskLog send a heartbeat. Default 15 seconds.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Most lines one AppendTaskLog message may carry; more is RESOURCE_EXHAUSTED. Default 10,000.</summary>
    public int MaxAppendBatchLines { get; set; } = 10_000;

    /// <summary>Most bytes one AppendTaskLog message may carry; more is RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxAppendBatchBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Lines read from storage and sent per TailTaskLog message. Default 1,000.</summary>
    public int TailBatchLines { get; set; } = 1_000;

    /// <summary>
    /// Least time between two reads of one followed TailTaskLog while its task keeps logging: a tail woken
    /// sooner waits the rest and sends every line appended meanwhile together. 0 reads at every append.
    /// At most 1 second. Default 25 milliseconds, as for watches: a busy tail then reads and flushes at most 40
    /// times a second, and the tasklog benchmark's follow p99 stays near 26 ms.
    /// </summary>
    public TimeSpan FollowLinger { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>Entries read from storage and sent per ExportRequests message. Default 500.</summary>
    public int ExportBatchEntries { get; set; } = 500;

    /// <summary>Most parameters a message or detail may carry. Default 64.</summary>
    public int MaxParams { get; set; } = 64;

    /// <summary>Longest parameter value, in characters. Default 4,096.</summary>
    public int MaxParamValueLength { get; set; } = 4_096;
}
