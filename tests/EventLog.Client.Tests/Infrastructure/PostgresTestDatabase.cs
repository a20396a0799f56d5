using Npgsql;

namespace EventLog.Client.Tests.Infrastructure;

/// <summary>
/// A fresh database on the PostgreSQL server of <c>EVENTLOG_TEST_POSTGRES</c> (tests/run.sh and CI set it), dropped on
/// dispose. The role needs CREATEDB, as for the storage contract tests.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string EnvironmentVariable = "EVENTLOG_TEST_POSTGRES";

    private static readonly string? ServerConnectionString = Environment.GetEnvironmentVariable(EnvironmentVariable);

    private readonly string _name = "eventlog_sdk_" + Guid.NewGuid().ToString("N")[..12];

    private PostgresTestDatabase()
    {
    }

    /// <summary>Why a test that needs PostgreSQL cannot run here, or null when it can.</summary>
    public static string? SkipReason => string.IsNullOrWhiteSpace(ServerConnectionString)
        ? $"PostgreSQL tests skipped: set {EnvironmentVariable} to a connection string of a role with CREATEDB; tests/postgres.sh start DIR starts a cluster and prints one."
        : null;

    /// <summary>The connection string of this database, for <c>Storage:ConnectionString</c>.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = _name }.ConnectionString;

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var database = new PostgresTestDatabase();
        await ExecuteOnServerAsync($"CREATE DATABASE \"{database._name}\"");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        // FORCE ends the connections a killed replica left behind.
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ServerConnectionString);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await conn.OpenAsync(timeout.Token);
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 60 };
        await cmd.ExecuteNonQueryAsync(timeout.Token);
    }
}
