using System.Data;
using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging;

namespace EventLog.Storage.Core;

/// <summary>
/// Applies embedded scripts once each, in order, recording them in <c>schema_version</c>. The check and
/// apply run under one exclusive lock (SQLite: BEGIN IMMEDIATE; SQL Server: sp_getapplock owned by the
/// transaction; PostgreSQL: a transaction-level advisory lock), so replicas starting together apply each script
/// exactly once. SQL Server and PostgreSQL run DDL in the transaction: a failed script leaves nothing behind.
/// </summary>
internal sealed partial class MigrationRunner(StorageDatabase database, ILogger<MigrationRunner> logger) : IStorageMigrator
{
    private const string SqliteCreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    INTEGER NOT NULL PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at TEXT NOT NULL
        );
        """;

    private const string SqlServerCreateVersionTable = """
        IF OBJECT_ID(N'dbo.schema_version', N'U') IS NULL
            CREATE TABLE dbo.schema_version (
                version    int NOT NULL PRIMARY KEY,
                name       nvarchar(200) NOT NULL,
                applied_at datetime2(7) NOT NULL
            );
        """;

    private const string SqlServerAppLock = """
        DECLARE @result int;
        EXEC @result = sp_getapplock @Resource = N'EventLog.Storage.Migrations', @LockMode = N'Exclusive',
            @LockOwner = N'Transaction', @LockTimeout = @timeoutMs;
        SELECT @result;
        """;

    private const string PostgreSqlCreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    integer NOT NULL PRIMARY KEY,
            name       text NOT NULL,
            applied_at timestamptz NOT NULL
        );
        """;

    // lock_timeout bounds the wait for the advisory lock, then goes back to the session's value so the
    // scripts' own lock waits are not cut short.
    private const string PostgreSqlAdvisoryLock = """
        SELECT set_config('lock_timeout', @timeout, true);
        SELECT pg_advisory_xact_lock(@lockKey);
        RESET lock_timeout;
        """;

    // "EventLog" in ASCII: the advisory lock key of the migration run, the same in every replica.
    private const long PostgreSqlLockKey = 0x4576656E744C6F67;

    private const string SelectVersions = "SELECT version FROM schema_version ORDER BY version";

    private const string InsertVersion = "INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, @appliedAt)";

    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var dialect = database.Dialect;
        var scripts = LoadScripts(dialect.ScriptFolder);
        await using var conn = await database.OpenMigrationAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var timeout = Math.Max(database.CommandTimeout, 60);
        CommandDefinition Cmd(string sql, object? p = null) => new(sql, p, tx, timeout, cancellationToken: cancellationToken);

        if (dialect.Provider == StorageProvider.PostgreSql)
        {
            var waitMs = AppLockTimeoutMilliseconds(timeout);
            await TakePostgreSqlLockAsync(conn, Cmd(PostgreSqlAdvisoryLock, new { timeout = $"{waitMs}ms", lockKey = PostgreSqlLockKey }), waitMs);
        }
        else if (dialect.Provider == StorageProvider.SqlServer)
        {
            var result = await conn.ExecuteScalarAsync<int>(Cmd(SqlServerAppLock, new { timeoutMs = AppLockTimeoutMilliseconds(timeout) }));
            if (result < 0)
            {
                throw new TimeoutException(
                    $"Could not take the migration lock within {AppLockTimeoutMilliseconds(timeout) / 1000} s (sp_getapplock returned {result}); another replica may be migrating a large table.");
            }
        }

        await conn.ExecuteAsync(Cmd(dialect.Provider switch
        {
            StorageProvider.SqlServer => SqlServerCreateVersionTable,
            StorageProvider.PostgreSql => PostgreSqlCreateVersionTable,
            _ => SqliteCreateVersionTable,
        }));
        var applied = (await conn.QueryAsync<int>(Cmd(SelectVersions))).ToHashSet();
        var count = 0;
        foreach (var script in scripts.Where(s => !applied.Contains(s.Version)))
        {
            foreach (var batch in dialect.SplitScript(script.Sql))
            {
                await conn.ExecuteAsync(Cmd(batch));
            }

            await conn.ExecuteAsync(Cmd(InsertVersion, new { version = script.Version, name = script.Name, appliedAt = DateTime.UtcNow }));
            LogApplied(logger, script.Version, script.Name, dialect.Provider);
            count++;
        }

        await tx.CommitAsync(cancellationToken);
        if (count == 0)
        {
            LogUpToDate(logger, applied.Count == 0 ? 0 : applied.Max(), dialect.Provider);
        }

        return count;
    }

    private static async Task TakePostgreSqlLockAsync(DbConnection conn, CommandDefinition command, int waitMs)
    {
        try
        {
            await conn.ExecuteAsync(command);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.LockNotAvailable)
        {
            throw new TimeoutException(
                $"Could not take the migration lock within {waitMs / 1000} s (lock_timeout); another replica may be migrating a large table.", e);
        }
    }

    /// <summary>
    /// How long sp_getapplock (or PostgreSQL's advisory lock) waits for another replica's migration. It must give
    /// up clearly before the client's command timeout: otherwise the client aborts the batch first and the caller
    /// sees a bare command timeout instead of the lock's negative result.
    /// </summary>
    internal static int AppLockTimeoutMilliseconds(int commandTimeoutSeconds) =>
        Math.Max(1, commandTimeoutSeconds - Math.Max(10, commandTimeoutSeconds / 4)) * 1000;

    public async Task<IReadOnlyList<int>> GetAppliedVersionsAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await database.OpenReadAsync(cancellationToken);
        var rows = await conn.QueryAsync<int>(new CommandDefinition(SelectVersions, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    internal static IReadOnlyList<MigrationScript> LoadScripts(string folder)
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var prefix = $"EventLog.Storage.{folder}.Migrations.";
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[prefix.Length..^4].TrimStart('_');
            var digits = new string(name.TakeWhile(char.IsDigit).ToArray());
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add(new MigrationScript(int.Parse(digits, CultureInfo.InvariantCulture), name, reader.ReadToEnd()));
        }

        return scripts.OrderBy(s => s.Version).ToList();
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Name}) on {Provider}")]
    private static partial void LogApplied(ILogger logger, int version, string name, StorageProvider provider);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Schema is up to date at version {Version} on {Provider}")]
    private static partial void LogUpToDate(ILogger logger, int version, StorageProvider provider);
}
