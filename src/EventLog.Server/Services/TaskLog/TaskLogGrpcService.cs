using EventLog.Server.Catalog;
using EventLog.Storage.TaskLog;

namespace EventLog.Server.Services.TaskLog;

/// <summary>
/// Implements <c>eventlog.v1.TaskLogService</c>: the user request log, async tasks, their log lines and the
/// text export (seeds 000, 001). Partial files per concern: requests, export, task lifecycle, queries, append,
/// and the streams (watch, tail).
/// </summary>
public sealed partial class TaskLogGrpcService(
    ITaskLogRepository repository,
    IChangeNotifier notifier,
    MessageCatalog catalog,
    IOptions<TaskLogOptions> options,
    TimeProvider clock,
    ILogger<TaskLogGrpcService> logger) : EventLog.V1.TaskLogService.TaskLogServiceBase
{
    private readonly TaskLogOptions _options = options.Value;
    private readonly SharedReads<TaskLogLine> _sharedLines = new();

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Loads a task the caller may act on: the caller's access kind is checked, and a task of another project
    /// (or of a project other than the one the request names) is NOT_FOUND, as is a missing one.
    /// </summary>
    private async Task<TaskInfo> LoadTaskAsync(ServerCallContext context, Access access, string? project, long taskId, string field = "task_id")
    {
        TaskLogValidation.TaskId(taskId, field);
        var named = string.IsNullOrEmpty(project) ? null : context.AuthorizeProject(access, project);
        var notFound = $"Task {taskId} does not exist.";
        var task = await repository.GetTaskAsync(taskId, context.CancellationToken);
        if (task is null || (named is not null && task.Project != named))
        {
            Errors.NotFound(notFound);
        }

        context.AuthorizeResource(access, task.Project, notFound);
        return task;
    }

    private EventLog.V1.AsyncTask Map(TaskInfo task, string? locale = null) => TaskLogMapper.ToProto(task, catalog, locale, Now);

    private EventLog.V1.RequestEntry Map(RequestLogEntry entry, string? locale = null) => TaskLogMapper.ToProto(entry, catalog, locale);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Task {TaskId} of {App} started on {TargetUri} (project {Project})")]
    private static partial void LogTaskStarted(ILogger logger, long taskId, string app, string targetUri, string project);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Task {TaskId} finished {State}")]
    private static partial void LogTaskFinished(ILogger logger, long taskId, Storage.TaskLog.TaskState state);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Cancel requested for task {TaskId}")]
    private static partial void LogCancelRequested(ILogger logger, long taskId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "{Stream} stream for task {TaskId} ended: {Reason}")]
    private static partial void LogStreamEnded(ILogger logger, string stream, long taskId, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "Appended {Count} lines to task {TaskId}")]
    private static partial void LogLinesAppended(ILogger logger, long count, long taskId);
}
