using Dapper;

namespace EventLog.Storage.Core;

/// <summary>Reads the schema version table over a fresh connection.</summary>
internal sealed class StorageProbe(StorageDatabase database) : IStorageProbe
{
    private const string Probe = "SELECT COUNT(*) FROM schema_version";

    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenProbeAsync(cancellationToken);
        await conn.ExecuteScalarAsync<long>(new CommandDefinition(Probe, commandTimeout: database.CommandTimeout, cancellationToken: cancellationToken));
    }
}
