using System.Data.Common;
using EventLog.Storage.Core;
using Microsoft.Data.SqlClient;

namespace EventLog.Storage.SqlServer;

/// <summary>SQL Server: a pooled connection per operation; row locks order concurrent writers.</summary>
/// <remarks>
/// <paramref name="newConnection"/> creates the (closed) connections; the dialect tests pass one that records
/// the SQL it is given, so every text this class and the repositories send is parsed without a server.
/// </remarks>
internal sealed class SqlServerStorageDatabase(StorageOptions options, CommitSignals signals, StorageMetrics metrics, Func<DbConnection> newConnection)
    : StorageDatabase(SqlServerDialect.Instance, options, signals, metrics)
{
    public SqlServerStorageDatabase(StorageOptions options, CommitSignals signals, StorageMetrics metrics)
        : this(options, signals, metrics, () => new SqlConnection(options.ConnectionString ?? ""))
    {
    }

    public override Task<DbConnection> OpenReadAsync(CancellationToken ct) => OpenOwnedAsync(newConnection(), ct);

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
