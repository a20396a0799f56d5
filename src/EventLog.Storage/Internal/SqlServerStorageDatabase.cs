using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace EventLog.Storage.Internal;

/// <summary>SQL Server: a pooled connection per operation; row locks order concurrent writers.</summary>
internal sealed class SqlServerStorageDatabase(StorageOptions options, CommitSignals signals, StorageMetrics metrics)
    : StorageDatabase(SqlServerDialect.Instance, options, signals, metrics)
{
    private readonly string _connectionString = options.ConnectionString ?? "";

    public override Task<DbConnection> OpenReadAsync(CancellationToken ct) => OpenOwnedAsync(new SqlConnection(_connectionString), ct);

    public override Task<DbConnection> OpenMigrationAsync(CancellationToken ct) => OpenReadAsync(ct);

    // The pool checks a connection it hands out again, so a dead server fails the open.
    public override Task<DbConnection> OpenProbeAsync(CancellationToken ct) => OpenReadAsync(ct);

    protected override async Task<(T Result, IReadOnlyDictionary<string, long> Touched)> RunWriteAsync<T>(Func<WriteContext, Task<T>> work, WriteSpan span, CancellationToken ct)
    {
        await using var conn = await OpenReadAsync(ct);
        return await RunInTransactionAsync(conn, work, span, ct);
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
