using Npgsql;

namespace EventLog.Tests.Shared;

/// <summary>
/// A database of its own on a PostgreSQL server, created by <see cref="CreateAsync()"/> and dropped on dispose: the server
/// of <paramref name="server"/>, a connection string, or by default of <c>EVENTLOG_TEST_POSTGRES</c> (tests/run.sh and CI
/// start a private cluster and set it). The role needs CREATEDB.
/// </summary>
public sealed class PostgresTestDatabase(string prefix, string? server = null) : IAsyncDisposable
{
    public const string EnvironmentVariable = "EVENTLOG_TEST_POSTGRES";

    private static readonly string? ServerConnectionString = Environment.GetEnvironmentVariable(EnvironmentVariable);

    private readonly string? _server = server ?? ServerConnectionString;

    private readonly string _name = prefix + Guid.NewGuid().ToString("N")[..12];

    private bool _created;

    /// <summary>Why a test that needs PostgreSQL cannot run here, or null when it can.</summary>
    public static string? SkipReason => string.IsNullOrWhiteSpace(ServerConnectionString)
        ? $"PostgreSQL tests skipped: set {EnvironmentVariable} to a connection string of a role with CREATEDB (for example \"Host=localhost;Username=eventlog;Password=...;Database=eventlog\"); tests/postgres.sh start DIR starts a cluster and prints one."
        : null;

    /// <summary>The connection string of this database, for <c>Storage:ConnectionString</c>.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(_server) { Database = _name }.ConnectionString;

    /// <summary>A new database whose name starts with <paramref name="prefix"/>, created and empty.</summary>
    public static async Task<PostgresTestDatabase> CreateAsync(string prefix)
    {
        var database = new PostgresTestDatabase(prefix);
        await database.CreateAsync();
        return database;
    }

    /// <summary>Creates the database, empty: the server's migrations have not run on it.</summary>
    public async Task CreateAsync()
    {
        _created = true;
        await ExecuteOnServerAsync($"CREATE DATABASE \"{_name}\"");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_created)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        // FORCE ends the connections left to the database (a killed replica's too), but not an autovacuum worker of
        // another role: that refusal is retried until the worker is done.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 50)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Runs <paramref name="sql"/> on the database of the server's connection string (not this one).</summary>
    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(_server);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await conn.OpenAsync(timeout.Token);
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 120 };
        await cmd.ExecuteNonQueryAsync(timeout.Token);
    }
}
