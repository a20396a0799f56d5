using System.Data.Common;
using EventLog.Storage.Core;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventLog.Storage.PostgreSql;

/// <summary>
/// PostgreSQL: pooled connections from one data source; the stream row lock orders concurrent writers (see
/// <see cref="PostgreSqlDialect.AllocateSequence"/>). Each commit announces its streams with NOTIFY, and a
/// <see cref="PostgreSqlCommitListener"/> wakes this process's waiters on the commits of the others.
/// </summary>
internal sealed class PostgreSqlStorageDatabase : StorageDatabase
{
    private const string Notify = "SELECT pg_notify(@channel, @payload)";

    // Tells this instance's announcements from those of others; a process ignores its own.
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _probeConnectionString;

    public PostgreSqlStorageDatabase(StorageOptions options, CommitSignals signals, StorageMetrics metrics, ILogger logger)
        : base(PostgreSqlDialect.Instance, options, signals, metrics)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString) { CommandTimeout = CommandTimeout };
        if (builder.MaxAutoPrepare == 0)
        {
            // The repositories send the same few statements over and over: prepared once per connection, each
            // is parsed and planned once instead of at every write. A connection string may set its own value.
            builder.MaxAutoPrepare = 128;
        }

        _dataSource = NpgsqlDataSource.Create(builder);
        _probeConnectionString = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false }.ConnectionString;
        if (options.ListenForCommits)
        {
            Listener = new PostgreSqlCommitListener(builder.ConnectionString, _instance, signals, logger);
        }
    }

    /// <summary>The listener of this process; null when <see cref="StorageOptions.ListenForCommits"/> is off.</summary>
    public PostgreSqlCommitListener? Listener { get; }

    public override bool HearsOtherCommits => Listener is { IsListening: true };

    public override async Task<DbConnection> OpenReadAsync(CancellationToken ct) => await _dataSource.OpenConnectionAsync(ct);

    public override Task<DbConnection> OpenMigrationAsync(CancellationToken ct) => OpenReadAsync(ct);

    // Pooled connections are not checked when handed out: the probe opens one of its own.
    public override Task<DbConnection> OpenProbeAsync(CancellationToken ct) => OpenOwnedAsync(new NpgsqlConnection(_probeConnectionString), ct);

    protected override async Task<(T Result, IReadOnlyDictionary<string, long> Touched)> RunWriteAsync<T>(Func<WriteContext, Task<T>> work, WriteSpan span, CancellationToken ct)
    {
        await using var conn = await OpenReadAsync(ct);
        return await RunInTransactionAsync(conn, work, span, ct);
    }

    // NOTIFY is delivered when the transaction commits and dropped when it rolls back.
    protected override async Task BeforeCommitAsync(WriteContext context)
    {
        foreach (var payload in CommitAnnouncement.Encode(_instance, context.TouchedStreams))
        {
            await context.ExecuteAsync(Notify, new { channel = CommitAnnouncement.Channel, payload });
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (Listener is not null)
        {
            await Listener.DisposeAsync();
        }

        await _dataSource.DisposeAsync();
    }
}
