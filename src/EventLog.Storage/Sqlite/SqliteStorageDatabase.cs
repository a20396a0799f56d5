using System.Collections.Concurrent;
using System.Data.Common;
using EventLog.Storage.Core;
using Microsoft.Data.Sqlite;

namespace EventLog.Storage.Sqlite;

/// <summary>
/// SQLite: WAL, one long-lived writer connection that commits queued writes in groups (<see cref="SqliteWriter"/>;
/// other processes are serialised by BEGIN IMMEDIATE and the busy timeout); readers use pooled connections.
/// </summary>
internal sealed class SqliteStorageDatabase : StorageDatabase
{
    // synchronous=NORMAL in WAL mode: a commit survives a process crash (kill -9); only an
    // OS crash or power loss can lose the last commits.
    private const string WriterPragmas = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        PRAGMA foreign_keys = ON;
        PRAGMA temp_store = MEMORY;
        """;

    private const int MaxIdleReaders = 64;

    private readonly string _connectionString;
    private readonly string _probeConnectionString;
    private readonly SqliteWriter _writer;
    private readonly ConcurrentBag<StatementCachingConnection> _idleReaders = [];
    private volatile bool _disposed;

    public SqliteStorageDatabase(StorageOptions options, CommitSignals signals, StorageMetrics metrics)
        : base(SqliteDialect.Instance, options, signals, metrics)
    {
        _connectionString = BuildConnectionString(options);
        // Readers stay open across calls and would still read a file that was deleted or unmounted under them.
        _probeConnectionString = new SqliteConnectionStringBuilder(_connectionString) { Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString();
        _writer = new SqliteWriter(async ct => new StatementCachingConnection((SqliteConnection)await OpenMigrationAsync(ct)), Dialect, CommandTimeout, metrics);
    }

    public string ConnectionString => _connectionString;

    public static string BuildConnectionString(StorageOptions options)
    {
        var builder = string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(Path.Combine(options.DataDirectory, options.SqliteFileName)) }
            : new SqliteConnectionStringBuilder(options.ConnectionString);
        builder.DefaultTimeout = Math.Max(1, (int)options.CommandTimeout.TotalSeconds);
        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        builder.Pooling = true;
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        return builder.ToString();
    }

    public override async Task<DbConnection> OpenReadAsync(CancellationToken ct)
    {
        // Open readers are kept with their prepared statements: every watcher's wake-up reads a stream position.
        if (_idleReaders.TryTake(out var idle))
        {
            return idle;
        }

        return new StatementCachingConnection((SqliteConnection)await OpenConnectionAsync(ct), ReleaseReader);
    }

    private bool ReleaseReader(StatementCachingConnection reader)
    {
        if (_disposed || _idleReaders.Count >= MaxIdleReaders)
        {
            return false;
        }

        _idleReaders.Add(reader);
        return true;
    }

    private Task<DbConnection> OpenConnectionAsync(CancellationToken ct) => OpenOwnedAsync(new SqliteConnection(_connectionString), ct);

    public override Task<DbConnection> OpenProbeAsync(CancellationToken ct) => OpenOwnedAsync(new SqliteConnection(_probeConnectionString), ct);

    public override async Task<DbConnection> OpenMigrationAsync(CancellationToken ct)
    {
        var conn = (SqliteConnection)await OpenConnectionAsync(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = WriterPragmas + $"PRAGMA busy_timeout = {CommandTimeout * 1000};";
        await cmd.ExecuteNonQueryAsync(ct);
        return conn;
    }

    protected override Task<(T Result, IReadOnlyDictionary<string, long> Touched)> RunWriteAsync<T>(Func<WriteContext, Task<T>> work, WriteSpan span, CancellationToken ct) =>
        _writer.RunAsync(work, span, ct);

    public override async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _writer.DisposeAsync();
        while (_idleReaders.TryTake(out var reader))
        {
            reader.Close(forGood: true);
        }
    }
}
