using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace EventLog.Storage.Internal;

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
        """;

    private readonly string _connectionString;
    private readonly SqliteWriter _writer;

    public SqliteStorageDatabase(StorageOptions options, CommitSignals signals)
        : base(SqliteDialect.Instance, options, signals)
    {
        _connectionString = BuildConnectionString(options);
        _writer = new SqliteWriter(async ct => new StatementCachingConnection((SqliteConnection)await OpenMigrationAsync(ct)), Dialect, CommandTimeout);
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
        var conn = new SqliteConnection(_connectionString);
        try
        {
            await conn.OpenAsync(ct);
            return conn;
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    public override async Task<DbConnection> OpenMigrationAsync(CancellationToken ct)
    {
        var conn = (SqliteConnection)await OpenReadAsync(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = WriterPragmas + $"PRAGMA busy_timeout = {CommandTimeout * 1000};";
        await cmd.ExecuteNonQueryAsync(ct);
        return conn;
    }

    protected override Task<(T Result, IReadOnlyCollection<string> Touched)> RunWriteAsync<T>(Func<WriteContext, Task<T>> work, CancellationToken ct) =>
        _writer.RunAsync(work, ct);

    public override ValueTask DisposeAsync() => _writer.DisposeAsync();
}
