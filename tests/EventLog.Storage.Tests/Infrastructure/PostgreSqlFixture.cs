using Npgsql;

namespace EventLog.Storage.Tests.Infrastructure;

/// <summary>
/// PostgreSQL, when EVENTLOG_TEST_POSTGRES holds a connection string (tests/run.sh starts a private cluster and
/// sets it): a fresh database per test class, dropped afterwards. The role needs CREATEDB.
/// </summary>
public sealed class PostgreSqlFixture : StorageFixture
{
    public const string EnvironmentVariable = "EVENTLOG_TEST_POSTGRES";

    private static readonly string? ServerConnectionString = Environment.GetEnvironmentVariable(EnvironmentVariable);

    private readonly string _database = "eventlog_test_" + Guid.NewGuid().ToString("N")[..12];

    private bool _created;

    public override StorageProvider Provider => StorageProvider.PostgreSql;

    public override string? SkipReason => string.IsNullOrWhiteSpace(ServerConnectionString)
        ? $"PostgreSQL tests skipped: set {EnvironmentVariable} to a connection string of a role with CREATEDB (for example \"Host=localhost;Username=eventlog;Password=...;Database=eventlog\"); tests/postgres.sh start DIR starts a cluster and prints one."
        : null;

    public string DatabaseConnectionString => new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = _database }.ConnectionString;

    protected override Dictionary<string, string?> Settings() => new()
    {
        ["Storage:Provider"] = "PostgreSql",
        ["Storage:ConnectionString"] = DatabaseConnectionString,
    };

    /// <summary>Creates the database without migrating it (for migration tests on a fresh fixture).</summary>
    public Task CreateEmptyDatabaseAsync() => CreateDatabaseAsync();

    protected override async Task CreateDatabaseAsync()
    {
        _created = true;
        await ExecuteOnServerAsync($"CREATE DATABASE \"{_database}\"");
    }

    protected override async Task DropDatabaseAsync()
    {
        if (!_created)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        // FORCE ends the connections left to the database, but not an autovacuum worker of another role: that
        // refusal is retried until the worker is done.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 50)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Runs <paramref name="sql"/> on the database of the connection string (not this fixture's).</summary>
    public static async Task ExecuteOnServerAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ServerConnectionString);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await conn.OpenAsync(timeout.Token);
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 120 };
        await cmd.ExecuteNonQueryAsync(timeout.Token);
    }
}
