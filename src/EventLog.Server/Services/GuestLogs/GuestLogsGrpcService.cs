using EventLog.Storage.GuestLogs;

namespace EventLog.Server.Services.GuestLogs;

/// <summary>
/// Implements <c>eventlog.v1.GuestLogsService</c>: guest log catalogs, the agents' command channels, incremental
/// publishing and tails, as Trove's guest logs. Partial files per concern: catalog, user commands, agent channel, upload,
/// and the read streams (tail, save). Reads never involve the agent, which is why logs stay readable after their
/// instance is deleted (its agent gone for good): only publish needs a connected agent.
/// </summary>
public sealed partial class GuestLogsGrpcService(
    IGuestLogRepository repository,
    IChangeNotifier notifier,
    IAgentCommandRepository commands,
    ExposurePolicy exposure,
    IOptions<GuestLogOptions> options,
    TimeProvider clock,
    ILogger<GuestLogsGrpcService> logger) : EventLog.V1.GuestLogsService.GuestLogsServiceBase
{
    private readonly GuestLogOptions _options = options.Value;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private EventLog.V1.GuestLog Map(GuestLogInfo log) => GuestLogMapper.ToProto(log, exposure.IsExposed(log));

    /// <summary>
    /// Loads a log the caller may act on. Missing logs, logs of another project (or of a project other than the
    /// one the request names) and, for non-admins reading or acting as users, logs the datastore does not expose
    /// are all NOT_FOUND.
    /// </summary>
    private async Task<GuestLogInfo> LoadLogAsync(ServerCallContext context, Access access, string project, string instanceId, string logName)
    {
        GuestLogsValidation.InstanceId(instanceId);
        GuestLogsValidation.LogName(logName);
        var named = string.IsNullOrEmpty(project) ? null : context.AuthorizeProject(access, project);
        var notFound = $"Log '{logName}' of instance {instanceId} does not exist.";
        var log = await repository.GetLogAsync(instanceId, logName, context.CancellationToken);
        if (log is null || (named is not null && log.Project != named))
        {
            Errors.NotFound(notFound);
        }

        context.AuthorizeResource(access, log.Project, notFound);
        if (access != Access.Write && !context.GetPrincipal().IsAdmin && !exposure.IsExposed(log))
        {
            Errors.NotFound(notFound);
        }

        return log;
    }

    /// <summary>Loads an instance's catalog (all entries, exposed or not); unknown instances and other projects' are NOT_FOUND.</summary>
    private async Task<IReadOnlyList<GuestLogInfo>> LoadInstanceAsync(ServerCallContext context, Access access, string project, string instanceId)
    {
        GuestLogsValidation.InstanceId(instanceId);
        var named = string.IsNullOrEmpty(project) ? null : context.AuthorizeProject(access, project);
        var notFound = $"Instance {instanceId} has no guest logs.";
        var logs = await repository.ListLogsAsync(instanceId, context.CancellationToken);
        if (logs.Count == 0 || (named is not null && logs[0].Project != named))
        {
            Errors.NotFound(notFound);
        }

        context.AuthorizeResource(access, logs[0].Project, notFound);
        return logs;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Instance {InstanceId} ({Datastore}, project {Project}) registered {Count} logs")]
    private static partial void LogRegistered(ILogger logger, string instanceId, string datastore, string project, int count);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Agent of instance {InstanceId} connected its command channel")]
    private static partial void LogAgentConnected(ILogger logger, string instanceId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Agent command channel of instance {InstanceId} ended: {Reason}")]
    private static partial void LogAgentDisconnected(ILogger logger, string instanceId, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "{Command} of log {LogName} on instance {InstanceId} requested (command {CommandId})")]
    private static partial void LogCommandQueued(ILogger logger, EventLog.V1.GuestLogCommandType command, string logName, string instanceId, string commandId);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Agent of instance {InstanceId} failed command {CommandId}: {Error}")]
    private static partial void LogCommandFailed(ILogger logger, string instanceId, string commandId, string error);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Debug, Message = "Log {LogName} of instance {InstanceId}: stored {Bytes} bytes in {Chunks} chunks (rotated {Rotated})")]
    private static partial void LogUploaded(ILogger logger, string logName, string instanceId, long bytes, int chunks, bool rotated);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Debug, Message = "{Stream} of log {LogName} on instance {InstanceId} ended: {Reason}")]
    private static partial void LogStreamEnded(ILogger logger, string stream, string logName, string instanceId, string reason);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Information, Message = "Instance {InstanceId} reported a datastore restart; {Count} logs completed their restart")]
    private static partial void LogRestartReported(ILogger logger, string instanceId, int count);
}
