using EventLog.Storage.GuestLogs;
using EventLog.V1;

namespace EventLog.Server.Services.GuestLogs;

public sealed partial class GuestLogsGrpcService
{
    /// <inheritdoc/>
    public override async Task<EnableLogResponse> EnableLog(EnableLogRequest request, ServerCallContext context)
    {
        var log = await LoadUserLogAsync(context, request.Project, request.InstanceId, request.LogName, "enabled");
        if (log.Status != Storage.GuestLogs.GuestLogStatus.Disabled)
        {
            return new EnableLogResponse { Log = Map(log) };
        }

        var enabled = await repository.SetStatusAsync(log.InstanceId, log.LogName, GuestLogStatusRules.OnEnable(log), cancellationToken: context.CancellationToken);
        await QueueAsync(GuestLogCommandType.Enable, log, context.CancellationToken);
        return new EnableLogResponse { Log = Map(enabled) };
    }

    /// <inheritdoc/>
    public override async Task<DisableLogResponse> DisableLog(DisableLogRequest request, ServerCallContext context)
    {
        var log = await LoadUserLogAsync(context, request.Project, request.InstanceId, request.LogName, "disabled");
        if (log.Status == Storage.GuestLogs.GuestLogStatus.Disabled)
        {
            return new DisableLogResponse { Log = Map(log) };
        }

        var disabled = await repository.SetStatusAsync(log.InstanceId, log.LogName, Storage.GuestLogs.GuestLogStatus.Disabled, cancellationToken: context.CancellationToken);
        await QueueAsync(GuestLogCommandType.Disable, log, context.CancellationToken);
        return new DisableLogResponse { Log = Map(disabled) };
    }

    /// <inheritdoc/>
    public override async Task<DiscardLogResponse> DiscardLog(DiscardLogRequest request, ServerCallContext context)
    {
        var log = await LoadLogAsync(context, Access.Manage, request.Project, request.InstanceId, request.LogName);
        var discarded = await repository.DiscardAsync(log.InstanceId, log.LogName, context.CancellationToken);
        await QueueAsync(GuestLogCommandType.Discard, log, context.CancellationToken);
        return new DiscardLogResponse { Log = Map(discarded) };
    }

    /// <inheritdoc/>
    public override async Task<PublishLogResponse> PublishLog(PublishLogRequest request, ServerCallContext context)
    {
        var log = request.Disable
            ? await LoadUserLogAsync(context, request.Project, request.InstanceId, request.LogName, "disabled")
            : await LoadLogAsync(context, Access.Manage, request.Project, request.InstanceId, request.LogName);
        var ct = context.CancellationToken;
        if (!await commands.IsAgentConnectedAsync(log.InstanceId, ct))
        {
            Errors.Unavailable($"No guest agent is connected for instance {log.InstanceId}; publish again when the instance is running.");
        }

        // Trove's --discard: the stored data goes first, and the agent forgets its offset before it publishes from 0.
        if (request.Discard)
        {
            log = await repository.DiscardAsync(log.InstanceId, log.LogName, ct);
            await QueueAsync(GuestLogCommandType.Discard, log, ct);
        }

        // Trove: publishing a disabled USER log enables it first.
        if (log.LogType == Storage.GuestLogs.GuestLogType.User && log.Status == Storage.GuestLogs.GuestLogStatus.Disabled)
        {
            await repository.SetStatusAsync(log.InstanceId, log.LogName, GuestLogStatusRules.OnEnable(log), cancellationToken: ct);
            await QueueAsync(GuestLogCommandType.Enable, log, ct);
        }

        var wait = Now + _options.PublishWait;
        var deadline = context.Deadline < wait ? context.Deadline : wait;
        var command = await QueueAsync(GuestLogCommandType.Publish, log, ct, deadline);
        AgentCommand? done;
        try
        {
            done = await WaitForResultAsync(command, deadline, ct);
        }
        catch (OperationCanceledException)
        {
            // Nobody waits for it any more: the agent need not publish (not the call's token, cancelled already).
            await commands.ExpireAsync(command.InstanceId, command.CommandId, CancellationToken.None);
            throw;
        }

        if (done is null)
        {
            await commands.ExpireAsync(command.InstanceId, command.CommandId, CancellationToken.None);
            throw Errors.Create(StatusCode.DeadlineExceeded, "AGENT_TIMEOUT", $"The agent of instance {log.InstanceId} did not publish log '{log.LogName}' in time.");
        }

        if (done.Succeeded != true)
        {
            throw Errors.Create(StatusCode.FailedPrecondition, "AGENT_COMMAND_FAILED", $"The agent could not publish log '{log.LogName}': {done.ErrorMessage}");
        }

        // Trove's --disable: the agent stops writing the log once it is published.
        if (request.Disable)
        {
            await repository.SetStatusAsync(log.InstanceId, log.LogName, Storage.GuestLogs.GuestLogStatus.Disabled, cancellationToken: ct);
            await QueueAsync(GuestLogCommandType.Disable, log, ct);
        }

        var published = await repository.GetLogAsync(log.InstanceId, log.LogName, ct) ?? log;
        return new PublishLogResponse { Log = Map(published) };
    }

    /// <summary>
    /// Waits until the agent reported the command's result, on whichever replica it arrived: the report touches the
    /// instance's queue stream, which wakes this wait. Null when <paramref name="deadline"/> passed first.
    /// </summary>
    private async Task<AgentCommand?> WaitForResultAsync(AgentCommand command, DateTime deadline, CancellationToken ct)
    {
        var key = StreamKeys.AgentCommands(command.InstanceId);
        var position = await notifier.GetPositionAsync(key, ct);
        while (true)
        {
            var current = await commands.GetAsync(command.InstanceId, command.CommandId, ct);
            if (current?.CompletedAt is not null)
            {
                return current;
            }

            var remaining = deadline - Now;
            if (current is null || remaining <= TimeSpan.Zero
                || await notifier.WaitForChangeAsync(key, position, remaining, ct) is not { } moved)
            {
                return null;
            }

            position = moved;
        }
    }

    /// <summary>Loads a USER log for a member's enable or disable; SYS logs are always on (FAILED_PRECONDITION).</summary>
    private async Task<GuestLogInfo> LoadUserLogAsync(ServerCallContext context, string project, string instanceId, string logName, string action)
    {
        var log = await LoadLogAsync(context, Access.Manage, project, instanceId, logName);
        if (log.LogType != Storage.GuestLogs.GuestLogType.User)
        {
            Errors.FailedPrecondition($"Log '{logName}' is a SYS log, always enabled; only USER logs can be {action}.");
        }

        return log;
    }

    /// <summary>
    /// Stores a command for the log's agent, which takes it now (on whichever replica holds its channel) or when it
    /// connects. It expires at <paramref name="deadline"/>, or after the command TTL for one nobody waits for.
    /// </summary>
    private async Task<AgentCommand> QueueAsync(GuestLogCommandType type, GuestLogInfo log, CancellationToken ct, DateTime? deadline = null)
    {
        var expires = DateTime.SpecifyKind(deadline ?? Now + _options.CommandTtl, DateTimeKind.Utc);
        var command = await commands.EnqueueAsync(new NewAgentCommand(log.InstanceId, (AgentCommandType)(int)type, log.LogName, expires), _options.MaxPendingCommands, ct);
        LogCommandQueued(logger, type, log.LogName, log.InstanceId, command.CommandId);
        return command;
    }
}
