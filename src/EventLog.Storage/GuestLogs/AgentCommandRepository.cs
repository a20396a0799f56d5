using System.Globalization;
using EventLog.Storage.Core;

namespace EventLog.Storage.GuestLogs;

internal sealed partial class AgentCommandRepository(StorageDatabase database, TimeProvider clock) : IAgentCommandRepository
{
    private const string Columns = """
        command_id, instance_id, seq, command_type, log_name, created_at, expires_at, delivered_at, deliveries,
        completed_at, succeeded, error_message
        """;

    private const string Pending = "completed_at IS NULL AND expires_at > @now";

    /// <summary>
    /// The pending publish a new one joins: only the last pending command of its log. A publish queued after a later
    /// discard or disable of the log must run after that, so it cannot join one that runs before it.
    /// </summary>
    private const string SelectPendingPublish = $"""
        SELECT {Columns} FROM agent_commands
        WHERE instance_id = @InstanceId AND command_type = @CommandType AND log_name = @LogName AND {Pending}
            AND NOT EXISTS (SELECT 1 FROM agent_commands later
                WHERE later.instance_id = agent_commands.instance_id AND later.log_name = agent_commands.log_name
                    AND later.seq > agent_commands.seq AND later.completed_at IS NULL AND later.expires_at > @now)
        ORDER BY seq
        """;

    private const string CountPending = $"SELECT COUNT(*) FROM agent_commands WHERE instance_id = @instanceId AND {Pending}";

    private const string InsertCommand = """
        INSERT INTO agent_commands (command_id, instance_id, seq, command_type, log_name, created_at, expires_at, deliveries)
        VALUES (@CommandId, @InstanceId, @Seq, @CommandType, @LogName, @CreatedAt, @ExpiresAt, 0)
        """;

    private const string SelectPendingAfter = $$"""
        SELECT {0} {{Columns}} FROM agent_commands WHERE instance_id = @instanceId AND seq > @after AND {{Pending}}
        ORDER BY seq {1}
        """;

    private const string SelectCommand = $"SELECT {Columns} FROM agent_commands WHERE instance_id = @instanceId AND command_id = @commandId";

    private const string UpdateDelivered = """
        UPDATE agent_commands SET delivered_at = @now, deliveries = deliveries + 1
        WHERE instance_id = @instanceId AND command_id = @commandId
        """;

    private const string UpdateCompleted = $"""
        UPDATE agent_commands SET completed_at = @now, succeeded = @succeeded, error_message = @errorMessage
        WHERE instance_id = @instanceId AND command_id = @commandId AND {Pending}
        """;

    private const string UpdateExpired = $"""
        UPDATE agent_commands SET expires_at = @now WHERE instance_id = @instanceId AND command_id = @commandId AND {Pending}
        """;

    private DateTime Now => database.Now(clock);

    public Task<AgentCommand> EnqueueAsync(NewAgentCommand command, int maxPending, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async w =>
        {
            var now = Now;
            if (command.CommandType == AgentCommandType.Publish
                && (await w.QueryAsync<AgentCommand>(SelectPendingPublish, new { command.InstanceId, command.CommandType, command.LogName, now })).FirstOrDefault() is { } joined)
            {
                return joined;
            }

            // The sequence comes first: it holds the queue's stream row lock, so concurrent enqueues count in turn.
            var seq = await w.AllocateAsync(StreamKeys.AgentCommands(command.InstanceId));
            var pending = await w.ScalarAsync<int>(CountPending, new { instanceId = command.InstanceId, now });
            if (pending >= maxPending)
            {
                throw new LimitExceededException($"Instance {command.InstanceId} already has {pending} commands pending for its agent.");
            }

            var stored = new AgentCommand
            {
                CommandId = Guid.NewGuid().ToString("N"), InstanceId = command.InstanceId, Seq = seq, CommandType = command.CommandType,
                LogName = command.LogName, CreatedAt = now, ExpiresAt = command.ExpiresAt,
            };
            await w.ExecuteAsync(InsertCommand, stored);
            return stored;
        }, cancellationToken);

    public async Task<IReadOnlyList<AgentCommand>> ReadPendingAsync(string instanceId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        var sql = string.Format(CultureInfo.InvariantCulture, SelectPendingAfter, database.Dialect.Top, database.Dialect.Limit);
        return await database.QueryAsync<AgentCommand>(sql, new { instanceId, after = afterSequence, now = Now, limit }, cancellationToken);
    }

    public Task MarkDeliveredAsync(string instanceId, IReadOnlyList<string> commandIds, CancellationToken cancellationToken = default)
    {
        var now = Now;
        return database.WriteAsync(w => w.ExecuteAsync(UpdateDelivered, commandIds.Select(commandId => new { instanceId, commandId, now })), cancellationToken);
    }

    public Task<AgentCommand?> GetAsync(string instanceId, string commandId, CancellationToken cancellationToken = default) =>
        database.QuerySingleOrDefaultAsync<AgentCommand>(SelectCommand, new { instanceId, commandId }, cancellationToken);

    public Task<AgentCommand?> CompleteAsync(string instanceId, string commandId, bool succeeded, string? errorMessage, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async w =>
        {
            if (await w.ExecuteAsync(UpdateCompleted, new { instanceId, commandId, succeeded, errorMessage, now = Now }) == 0)
            {
                return null;
            }

            // Wakes the user's call waiting for this result, on whichever replica it is.
            await w.TouchAsync(StreamKeys.AgentCommands(instanceId));
            return await w.SingleOrDefaultAsync<AgentCommand>(SelectCommand, new { instanceId, commandId });
        }, cancellationToken);

    public Task ExpireAsync(string instanceId, string commandId, CancellationToken cancellationToken = default) =>
        database.WriteAsync(w => w.ExecuteAsync(UpdateExpired, new { instanceId, commandId, now = Now }), cancellationToken);
}
