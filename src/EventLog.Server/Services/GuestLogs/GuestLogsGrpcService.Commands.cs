using EventLog.Server.Auth;
using EventLog.Server.Infrastructure;
using EventLog.Storage;
using EventLog.V1;
using Grpc.Core;

namespace EventLog.Server.Services.GuestLogs;

public sealed partial class GuestLogsGrpcService
{
    /// <inheritdoc/>
    public override async Task<EnableLogResponse> EnableLog(EnableLogRequest request, ServerCallContext context)
    {
        var log = await LoadUserLogAsync(context, request.Project, request.InstanceId, request.LogName, "enabled");
        if (log.Status != Storage.GuestLogStatus.Disabled)
        {
            return new EnableLogResponse { Log = Map(log) };
        }

        var enabled = await repository.SetStatusAsync(log.InstanceId, log.LogName, GuestLogStatusRules.OnEnable(log), cancellationToken: context.CancellationToken);
        Queue(GuestLogCommandType.Enable, log);
        return new EnableLogResponse { Log = Map(enabled) };
    }

    /// <inheritdoc/>
    public override async Task<DisableLogResponse> DisableLog(DisableLogRequest request, ServerCallContext context)
    {
        var log = await LoadUserLogAsync(context, request.Project, request.InstanceId, request.LogName, "disabled");
        if (log.Status == Storage.GuestLogStatus.Disabled)
        {
            return new DisableLogResponse { Log = Map(log) };
        }

        var disabled = await repository.SetStatusAsync(log.InstanceId, log.LogName, Storage.GuestLogStatus.Disabled, cancellationToken: context.CancellationToken);
        Queue(GuestLogCommandType.Disable, log);
        return new DisableLogResponse { Log = Map(disabled) };
    }

    /// <inheritdoc/>
    public override async Task<DiscardLogResponse> DiscardLog(DiscardLogRequest request, ServerCallContext context)
    {
        var log = await LoadLogAsync(context, Access.Manage, request.Project, request.InstanceId, request.LogName);
        var discarded = await repository.DiscardAsync(log.InstanceId, log.LogName, context.CancellationToken);
        Queue(GuestLogCommandType.Discard, log);
        return new DiscardLogResponse { Log = Map(discarded) };
    }

    /// <inheritdoc/>
    public override async Task<PublishLogResponse> PublishLog(PublishLogRequest request, ServerCallContext context)
    {
        var log = await LoadLogAsync(context, Access.Manage, request.Project, request.InstanceId, request.LogName);
        if (!agents.IsConnected(log.InstanceId))
        {
            Errors.Unavailable($"No guest agent is connected for instance {log.InstanceId}; publish again when the instance is running.");
        }

        // Trove: publishing a disabled USER log enables it first.
        if (log.LogType == Storage.GuestLogType.User && log.Status == Storage.GuestLogStatus.Disabled)
        {
            await repository.SetStatusAsync(log.InstanceId, log.LogName, GuestLogStatusRules.OnEnable(log), cancellationToken: context.CancellationToken);
            Queue(GuestLogCommandType.Enable, log);
        }

        var wait = Now + _options.PublishWait;
        var deadline = context.Deadline < wait ? context.Deadline : wait;
        var pending = agents.Enqueue(log.InstanceId, GuestLogCommandType.Publish, log.LogName, deadline);
        LogCommandQueued(logger, GuestLogCommandType.Publish, log.LogName, log.InstanceId, pending.Command.Id);
        CommandOutcome outcome;
        try
        {
            var remaining = deadline - Now;
            outcome = await pending.Completion.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, context.CancellationToken);
        }
        catch (TimeoutException)
        {
            agents.Withdraw(pending);
            throw Errors.Create(StatusCode.DeadlineExceeded, "AGENT_TIMEOUT", $"The agent of instance {log.InstanceId} did not publish log '{log.LogName}' in time.");
        }
        catch (OperationCanceledException)
        {
            agents.Withdraw(pending);
            throw;
        }

        if (!outcome.Succeeded)
        {
            throw Errors.Create(StatusCode.FailedPrecondition, "AGENT_COMMAND_FAILED", $"The agent could not publish log '{log.LogName}': {outcome.ErrorMessage}");
        }

        var published = outcome.Log ?? await repository.GetLogAsync(log.InstanceId, log.LogName, context.CancellationToken) ?? log;
        return new PublishLogResponse { Log = Map(published) };
    }

    /// <summary>Loads a USER log for a member's enable or disable; SYS logs are always on (FAILED_PRECONDITION).</summary>
    private async Task<GuestLogInfo> LoadUserLogAsync(ServerCallContext context, string project, string instanceId, string logName, string action)
    {
        var log = await LoadLogAsync(context, Access.Manage, project, instanceId, logName);
        if (log.LogType != Storage.GuestLogType.User)
        {
            Errors.FailedPrecondition($"Log '{logName}' is a SYS log, always enabled; only USER logs can be {action}.");
        }

        return log;
    }

    /// <summary>Queues a fire-and-forget command; the agent takes it now or when it connects.</summary>
    private void Queue(GuestLogCommandType type, GuestLogInfo log)
    {
        var pending = agents.Enqueue(log.InstanceId, type, log.LogName);
        LogCommandQueued(logger, type, log.LogName, log.InstanceId, pending.Command.Id);
    }
}
