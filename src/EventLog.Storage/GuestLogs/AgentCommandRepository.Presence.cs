namespace EventLog.Storage.GuestLogs;

internal sealed partial class AgentCommandRepository
{
    private static readonly string[] PresenceKeys = ["instance_id"];
    private static readonly string[] PresenceUpdated = ["connection_id", "connected_at", "lease_expires_at"];

    private const string UpdateLease = """
        UPDATE agent_presence SET lease_expires_at = @leaseExpiresAt WHERE instance_id = @instanceId AND connection_id = @connectionId
        """;

    private const string DeletePresence = "DELETE FROM agent_presence WHERE instance_id = @instanceId AND connection_id = @connectionId";

    private const string CountConnected = "SELECT COUNT(*) FROM agent_presence WHERE instance_id = @instanceId AND lease_expires_at > @now";

    public Task ConnectAgentAsync(string instanceId, string connectionId, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async w =>
        {
            var sql = w.Dialect.Upsert("agent_presence", PresenceKeys, [], PresenceUpdated);
            await w.ExecuteAsync(sql, new { instance_id = instanceId, connection_id = connectionId, connected_at = Now, lease_expires_at = leaseExpiresAt });
            // Wakes the channel this one replaces, wherever it is, so it ends at once instead of at its next renewal.
            await w.TouchAsync(StreamKeys.AgentCommands(instanceId));
            return 0;
        }, cancellationToken);

    public Task<bool> RenewAgentAsync(string instanceId, string connectionId, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async w => await w.ExecuteAsync(UpdateLease, new { instanceId, connectionId, leaseExpiresAt }) == 1, cancellationToken);

    public Task DisconnectAgentAsync(string instanceId, string connectionId, CancellationToken cancellationToken = default) =>
        database.WriteAsync(w => w.ExecuteAsync(DeletePresence, new { instanceId, connectionId }), cancellationToken);

    public async Task<bool> IsAgentConnectedAsync(string instanceId, CancellationToken cancellationToken = default) =>
        await database.ScalarAsync<int>(CountConnected, new { instanceId, now = Now }, cancellationToken) > 0;

    public Task<int> ReapExpiredAsync(DateTime now, int batchSize, CancellationToken cancellationToken = default)
    {
        var commands = database.Dialect.DeleteBatch("agent_commands", "expires_at < @now");
        var leases = database.Dialect.DeleteBatch("agent_presence", "lease_expires_at < @now", "instance_id");
        return database.WriteAsync(async w =>
        {
            var deleted = await w.ExecuteAsync(commands, new { now, batch = batchSize });
            return deleted + await w.ExecuteAsync(leases, new { now, batch = Math.Max(0, batchSize - deleted) });
        }, cancellationToken);
    }
}
