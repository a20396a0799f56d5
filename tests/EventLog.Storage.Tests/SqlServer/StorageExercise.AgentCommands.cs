
namespace EventLog.Storage.Tests.SqlServer;

internal sealed partial class StorageExercise
{
    private const string CommandId = "command-" + Project;
    private const string ConnectionId = "connection-" + Project;

    private async Task AgentCommandsAsync(CancellationToken ct)
    {
        var repository = Get<IAgentCommandRepository>();
        server.SetRow("agent_commands", new AgentCommand
        {
            CommandId = CommandId, InstanceId = Instance, Seq = 1, CommandType = AgentCommandType.Publish, LogName = LogName,
            CreatedAt = Now, ExpiresAt = Now.AddMinutes(1),
        });

        // A publish joins the pending one the server returns; an enable takes a sequence, counts and inserts.
        await Call(() => repository.EnqueueAsync(new NewAgentCommand(Instance, AgentCommandType.Publish, LogName, Now.AddMinutes(1)), 10, ct));
        await Call(() => repository.EnqueueAsync(new NewAgentCommand(Instance, AgentCommandType.Enable, LogName, Now.AddMinutes(1)), 10, ct));
        await Call(() => repository.ReadPendingAsync(Instance, 0, 10, ct));
        await Call(() => repository.MarkDeliveredAsync(Instance, [CommandId], ct));
        await Call(() => repository.GetAsync(Instance, CommandId, ct));
        await Call(() => repository.CompleteAsync(Instance, CommandId, false, "failed", ct));
        await Call(() => repository.ExpireAsync(Instance, CommandId, ct));

        await Call(() => repository.ConnectAgentAsync(Instance, ConnectionId, Now.AddMinutes(1), ct));
        await Call(() => repository.RenewAgentAsync(Instance, ConnectionId, Now.AddMinutes(1), ct));
        await Call(() => repository.IsAgentConnectedAsync(Instance, ct));
        await Call(() => repository.DisconnectAgentAsync(Instance, ConnectionId, ct));
        await Call(() => repository.ReapExpiredAsync(Now, 10, ct));
    }
}
