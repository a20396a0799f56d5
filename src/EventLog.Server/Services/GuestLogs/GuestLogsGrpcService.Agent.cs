using EventLog.V1;
using Google.Protobuf.WellKnownTypes;

namespace EventLog.Server.Services.GuestLogs;

public sealed partial class GuestLogsGrpcService
{
    /// <summary>Commands read from the store per round of a channel.</summary>
    private const int CommandBatch = 50;

    /// <summary>A channel's lease lasts this many heartbeat intervals past its last renewal.</summary>
    private const int LeaseHeartbeats = 3;

    /// <inheritdoc/>
    public override async Task AgentCommands(AgentCommandsRequest request, IServerStreamWriter<AgentCommandsResponse> responseStream, ServerCallContext context)
    {
        await LoadInstanceAsync(context, Access.Write, request.Project, request.InstanceId);
        var instanceId = request.InstanceId;
        var connectionId = Guid.NewGuid().ToString("N");
        var ct = context.CancellationToken;
        var lease = _options.HeartbeatInterval * LeaseHeartbeats;
        await commands.ConnectAgentAsync(instanceId, connectionId, Now + lease, ct);
        LogAgentConnected(logger, instanceId);
        var reason = "cancelled";
        try
        {
            var key = StreamKeys.AgentCommands(instanceId);
            var sentUpTo = 0L;
            // The first message tells the agent its channel is live, even with nothing to do.
            var idle = true;
            while (true)
            {
                // The position first: a command queued after it wakes the wait below, however soon.
                var position = await notifier.GetPositionAsync(key, ct);
                var batch = await commands.ReadPendingAsync(instanceId, sentUpTo, CommandBatch, ct);
                foreach (var command in batch)
                {
                    await responseStream.WriteAsync(new AgentCommandsResponse { Command = GuestLogMapper.ToProto(command) }, ct);
                    sentUpTo = command.Seq;
                }

                if (batch.Count > 0)
                {
                    await commands.MarkDeliveredAsync(instanceId, [.. batch.Select(c => c.CommandId)], ct);
                }
                else if (idle)
                {
                    await responseStream.WriteAsync(new AgentCommandsResponse { Heartbeat = new Heartbeat { ServerTime = Timestamp.FromDateTime(Now) } }, ct);
                }

                idle = batch.Count < CommandBatch
                    && await notifier.WaitForChangeAsync(key, position, _options.HeartbeatInterval, ct) is null;
                if (!await commands.RenewAgentAsync(instanceId, connectionId, Now + lease, ct))
                {
                    reason = "replaced by a newer channel";
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            // Not the call's token: it is cancelled already when the agent went away.
            await commands.DisconnectAgentAsync(instanceId, connectionId, CancellationToken.None);
        }

        LogAgentDisconnected(logger, instanceId, reason);
    }

    /// <inheritdoc/>
    public override async Task<ReportCommandResultResponse> ReportCommandResult(ReportCommandResultRequest request, ServerCallContext context)
    {
        var logs = await LoadInstanceAsync(context, Access.Write, request.Project, request.InstanceId);
        var (commandId, error) = GuestLogsValidation.CommandResult(request);
        if (!request.Succeeded)
        {
            LogCommandFailed(logger, request.InstanceId, commandId, error ?? "(no reason given)");
        }

        var command = await commands.CompleteAsync(request.InstanceId, commandId, request.Succeeded,
            error ?? (request.Succeeded ? null : "the agent gave no reason"), context.CancellationToken);
        if (command is null)
        {
            Errors.NotFound($"Command {commandId} of instance {request.InstanceId} is not pending (done, expired or unknown).");
        }

        var log = logs.FirstOrDefault(l => l.LogName == command.LogName) ?? logs[0];
        return new ReportCommandResultResponse { Log = Map(await repository.GetLogAsync(log.InstanceId, log.LogName, context.CancellationToken) ?? log) };
    }
}
