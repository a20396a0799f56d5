using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EventLog.Storage.Tests.Contract;

/// <summary>
/// Migration 0007 on a database whose reaper, before that version, deleted expired chunks and left the counters
/// as they were: the counters become what is stored, and each log records where its readable part starts.
/// </summary>
public abstract class GuestLogCountersMigrationTests : IAsyncLifetime
{
    private const int Version = 7;

    private static readonly DateTime Published = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    protected abstract string ScriptFolder { get; }

    /// <summary>An open connection to an empty database of the engine.</summary>
    protected abstract Task<DbConnection> OpenEmptyDatabaseAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public abstract Task DisposeAsync();

    [SkippableFact]
    public async Task Migration_CountsWhatIsStored_AndRecordsTheFirstAvailableLineAndOffset()
    {
        DapperSetup.EnsureConfigured();
        await using var conn = await OpenEmptyDatabaseAsync();
        var scripts = MigrationRunner.LoadScripts(ScriptFolder);
        foreach (var script in scripts.Where(s => s.Version < Version))
        {
            await conn.ExecuteAsync(script.Sql);
        }

        // Stale counters: published_bytes was always equal to published_offset, whatever the reaper deleted.
        var partly = await InsertLogAsync(conn, "partly-expired", offset: 100, nextLine: 11);
        await InsertChunkAsync(conn, partly, seq: 3, firstLine: 6, lineCount: 3, bytes: 30);
        await InsertChunkAsync(conn, partly, seq: 4, firstLine: 9, lineCount: 2, bytes: 10);
        var gone = await InsertLogAsync(conn, "all-expired", offset: 50, nextLine: 6);
        var whole = await InsertLogAsync(conn, "nothing-expired", offset: 20, nextLine: 3);
        await InsertChunkAsync(conn, whole, seq: 1, firstLine: 1, lineCount: 2, bytes: 20);
        var fresh = await InsertLogAsync(conn, "never-published", offset: 0, nextLine: 1);

        await conn.ExecuteAsync(scripts.Single(s => s.Version == Version).Sql);

        Assert.Equal((40L, 100L, 6L, 60L), await CountersAsync(conn, partly));
        Assert.Equal((0L, 50L, 6L, 50L), await CountersAsync(conn, gone));
        Assert.Equal((20L, 20L, 1L, 0L), await CountersAsync(conn, whole));
        Assert.Equal((0L, 0L, 1L, 0L), await CountersAsync(conn, fresh));
    }

    // Flags, times and contents are parameters, so one text suits every engine.
    private static Task<long> InsertLogAsync(DbConnection conn, string name, long offset, long nextLine) =>
        conn.ExecuteScalarAsync<long>("""
            INSERT INTO guest_logs (instance_id, log_name, project, log_type, status, file_name, datastore, exposed, restart_required,
                published_bytes, pending_bytes, published_offset, next_line, generation, updated_at)
            VALUES ('i', @name, 'p', 1, 5, '/var/log/x', 'mysql', @exposed, @restartRequired, @offset, 0, @offset, @nextLine, 0, @updatedAt)
            RETURNING id
            """, new { name, offset, nextLine, exposed = true, restartRequired = false, updatedAt = Published });

    private static Task InsertChunkAsync(DbConnection conn, long logId, long seq, long firstLine, int lineCount, long bytes) =>
        conn.ExecuteAsync("""
            INSERT INTO guest_log_chunks (log_id, seq, generation, first_line, line_count, byte_length, content, created_at, expires_at)
            VALUES (@logId, @seq, 0, @firstLine, @lineCount, @bytes, @content, @createdAt, @expiresAt)
            """, new { logId, seq, firstLine, lineCount, bytes, content = new byte[bytes], createdAt = Published, expiresAt = Published.AddDays(30) });

    private static Task<(long PublishedBytes, long PublishedOffset, long FirstAvailableLine, long FirstAvailableOffset)> CountersAsync(DbConnection conn, long id) =>
        conn.QuerySingleAsync<(long, long, long, long)>(
            "SELECT published_bytes, published_offset, first_available_line, first_available_offset FROM guest_logs WHERE id = @id", new { id });
}

public sealed class SqliteGuestLogCountersMigrationTests : GuestLogCountersMigrationTests
{
    private readonly SqliteFixture _database = new();

    protected override string ScriptFolder => "Sqlite";

    protected override async Task<DbConnection> OpenEmptyDatabaseAsync()
    {
        Directory.CreateDirectory(_database.DataDirectory);
        var conn = new SqliteConnection($"Data Source={Path.Combine(_database.DataDirectory, "eventlog.db")};Pooling=False");
        await conn.OpenAsync();
        return conn;
    }

    public override Task DisposeAsync() => _database.DisposeAsync();
}

public sealed class PostgreSqlGuestLogCountersMigrationTests : GuestLogCountersMigrationTests
{
    private readonly PostgreSqlFixture _database = new();

    protected override string ScriptFolder => "PostgreSql";

    protected override async Task<DbConnection> OpenEmptyDatabaseAsync()
    {
        Skip.If(_database.SkipReason is not null, _database.SkipReason);
        await _database.CreateEmptyDatabaseAsync();
        var conn = new NpgsqlConnection(_database.DatabaseConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    public override Task DisposeAsync() => _database.DisposeAsync();
}
