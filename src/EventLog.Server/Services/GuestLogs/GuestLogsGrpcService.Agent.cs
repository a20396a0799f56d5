using EventLog.Server.Auth;
using EventLog.Server.Infrastructure;
using EventLog.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace EventLog.Server.Services.GuestLogs;

public sealed partial class GuestLogsGrpcService
{
    /// <inheritdoc/>
    public override async Task AgentCommands(AgentCommandsRequest request, IServerStreamWriter<AgentCommandsResponse> responseStream, ServerCallContext context)
    {
        await LoadInstanceAsync(context, Access.Write, request.Project, request.InstanceId);
        using var connection = agents.Connect(request.InstanceId);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, connection.Replaced);
        var ct = linked.Token;
        LogAgentConnected(logger, request.InstanceId);
        try
        {
            // The first message tells the agent its channel is live, even with nothing to do.
            var idle = true;
            while (true)
            {
                foreach (var pending in agents.TakeUnsent(connection))
                {
                    await responseStream.WriteAsync(new AgentCommandsResponse { Command = pending.Command }, ct);
                    idle = false;
                }

                if (idle)
                {
                    await responseStream.WriteAsync(new AgentCommandsResponse { Heartbeat = new Heartbeat { ServerTime = Timestamp.FromDateTime(Now) } }, ct);
                }

                idle = !await connection.WaitAsync(_options.HeartbeatInterval, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            LogAgentDisconnected(logger, request.InstanceId, connection.Replaced.IsCancellationRequested ? "replaced by a newer channel" : "cancelled");
        }
        finally
        {
            agents.Disconnect(connection);
        }
    }

    /// <inheritdoc/>
    public override async Task<ReportCommandResultResponse> ReportCommandResult(ReportCommandResultRequest request, ServerCallContext context)
    {
        var logs = await LoadInstanceAsync(context, Access.Write, request.Project, request.InstanceId);
        var commandId = Errors.Required(request.CommandId, "command_id", 64);
        var error = Errors.Optional(request.ErrorMessage, "error_message", 4096);
        if (!request.Succeeded)
        {
            LogCommandFailed(logger, request.InstanceId, commandId, error ?? "(no reason given)");
        }

        var outcome = new CommandOutcome(request.Succeeded, error ?? (request.Succeeded ? null : "the agent gave no reason"), null);
        var command = agents.TryComplete(request.InstanceId, commandId, outcome);
        if (command is null)
        {
            Errors.NotFound($"Command {commandId} of instance {request.InstanceId} is not pending (done, expired or unknown).");
        }

        var log = logs.FirstOrDefault(l => l.LogName == command.Command.LogName) ?? logs[0];
        return new ReportCommandResultResponse { Log = Map(await repository.GetLogAsync(log.InstanceId, log.LogName, context.CancellationToken) ?? log) };
    }
}
