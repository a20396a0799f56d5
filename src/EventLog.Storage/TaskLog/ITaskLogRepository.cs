namespace EventLog.Storage.TaskLog;

/// <summary>The user request log, async tasks and their log lines (seeds 000, 001).</summary>
public interface ITaskLogRepository
{
    /// <summary>Records a request entry. A retry with the same idempotency key returns the first entry.</summary>
    Task<RequestLogEntry> RecordRequestAsync(NewRequestLogEntry entry, CancellationToken cancellationToken = default);

    Task<RequestLogEntry?> GetRequestAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Lists request entries newest first. Throws <see cref="InvalidPageTokenException"/> for a token of other filters.</summary>
    Task<Page<RequestLogEntry>> ListRequestsAsync(RequestLogFilter filter, int pageSize, string? pageToken, CancellationToken cancellationToken = default);

    /// <summary>
    /// Entries matching <paramref name="filter"/> with id greater than <paramref name="afterId"/>, oldest first
    /// (export and timeline follow). Ids grow in commit order, so resuming after the last id delivered never
    /// skips an entry that committed late. <see cref="RequestLogFilter.DuringTaskId"/> applies too.
    /// </summary>
    Task<IReadOnlyList<RequestLogEntry>> ReadRequestsAfterAsync(RequestLogFilter filter, long afterId, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The last <paramref name="count"/> entries across apps (a project, or all when null) served by
    /// <paramref name="node"/> (every node when null), newest first.
    /// </summary>
    Task<IReadOnlyList<RequestLogEntry>> GetTimelineAsync(string? project, int count, string? node = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a task; unless queued, marks it running and writes the TASK 1000 entry. Without a spawning entry id,
    /// the newest non-TASK entry with the task's request id is linked (and one recorded later links itself).
    /// </summary>
    Task<TaskInfo> StartTaskAsync(StartTaskRequest request, CancellationToken cancellationToken = default);

    /// <summary>Moves a queued task to running (writes the TASK 1000 entry). Throws NotFound / PreconditionFailed.</summary>
    Task<TaskInfo> MarkRunningAsync(long taskId, CancellationToken cancellationToken = default);

    Task<TaskInfo> ReportProgressAsync(long taskId, int percent, string? message, CancellationToken cancellationToken = default);

    /// <summary>Appends lines in one transaction and returns their line numbers. Throws PreconditionFailed on a finished task.</summary>
    Task<LineRange> AppendLinesAsync(long taskId, IReadOnlyList<string> lines, string? idempotencyKey = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends lines that start at line <paramref name="firstLineNumber"/> (1-based; 0 = at the end). Lines
    /// already stored are skipped, so a resent batch stores nothing twice; a gap after the last stored line is
    /// PreconditionFailed. Returns the lines actually stored (an empty range <c>(n+1, n)</c> when all were stored already).
    /// A task of another project than <paramref name="project"/>, when it is given, is NotFound like an unknown one:
    /// the caller learns nothing of it, and needs no read of its own before the write.
    /// </summary>
    Task<LineRange> AppendLinesAtAsync(long taskId, long firstLineNumber, IReadOnlyList<string> lines, string? project = null, CancellationToken cancellationToken = default);

    /// <summary>Succeeded + TASK 1001 entry. Completing a succeeded task again is a no-op.</summary>
    Task<TaskInfo> CompleteTaskAsync(long taskId, CancellationToken cancellationToken = default);

    /// <summary>Failed + TASK 1002 entry carrying the detail. Failing a failed task again is a no-op.</summary>
    Task<TaskInfo> FailTaskAsync(long taskId, string detailCode, string? detailParams, CancellationToken cancellationToken = default);

    /// <summary>Sets cancel_requested; the worker sees it by watching <see cref="StreamKeys.TaskState"/>.</summary>
    Task<TaskInfo> RequestCancelAsync(long taskId, CancellationToken cancellationToken = default);

    /// <summary>The worker confirms it stopped: Cancelled + TASK 1003 entry.</summary>
    Task<TaskInfo> ConfirmCancelAsync(long taskId, CancellationToken cancellationToken = default);

    Task<TaskInfo?> GetTaskAsync(long taskId, CancellationToken cancellationToken = default);

    Task<Page<TaskInfo>> ListTasksAsync(TaskFilter filter, int pageSize, string? pageToken, CancellationToken cancellationToken = default);

    /// <summary>The newest queued or running task of a target (contiv <c>job get active</c>), of <paramref name="app"/> when given.</summary>
    Task<TaskInfo?> GetActiveTaskAsync(string project, string targetUri, string? app = null, CancellationToken cancellationToken = default);

    /// <summary>The newest finished task of a target (contiv <c>job get last</c>), of <paramref name="app"/> when given.</summary>
    Task<TaskInfo?> GetLastTaskAsync(string project, string targetUri, string? app = null, CancellationToken cancellationToken = default);

    /// <summary>Lines with number greater than <paramref name="afterLine"/>, ascending, at most <paramref name="limit"/>.</summary>
    Task<StreamBatch<TaskLogLine>> ReadLinesAsync(long taskId, long afterLine, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="ReadLinesAsync"/> without looking up the oldest stored line: one query, for a follower
    /// that has read the task's lines before and only needs what came since.
    /// </summary>
    Task<IReadOnlyList<TaskLogLine>> ReadNewLinesAsync(long taskId, long afterLine, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes at most <paramref name="batchSize"/> finished tasks' lines/tasks finished before <paramref name="cutoff"/>; returns rows deleted.</summary>
    Task<int> ReapTasksAsync(DateTime cutoff, int batchSize, CancellationToken cancellationToken = default);

    /// <summary>Deletes at most <paramref name="batchSize"/> request entries older than <paramref name="cutoff"/>.</summary>
    Task<int> ReapRequestsAsync(DateTime cutoff, int batchSize, CancellationToken cancellationToken = default);
}
