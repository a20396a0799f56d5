using Microsoft.Data.SqlClient;

namespace EventLog.Storage.Tests.Infrastructure;

/// <summary>
/// SQL Server, when EVENTLOG_TEST_SQLSERVER holds a connection string: a fresh database per test class
/// (READ_COMMITTED_SNAPSHOT on), dropped afterwards.
/// </summary>
public sealed class SqlServerFixture : StorageFixture
{
    public const string EnvironmentVariable = "EVENTLOG_TEST_SQLSERVER";

    private static readonly string? ServerConnectionString = Environment.GetEnvironmentVariable(EnvironmentVariable);

    private readonly string _database = "eventlog_test_" + Guid.NewGuid().ToString("N")[..12];

    private bool _created;

    public override StorageProvider Provider => StorageProvider.SqlServer;

    public override string? SkipReason => string.IsNullOrWhiteSpace(ServerConnectionString)
        ? $"SQL Server tests skipped: set {EnvironmentVariable} to a connection string (for example \"Server=localhost;User Id=sa;Password=...;TrustServerCertificate=true\")."
        : null;

    private string DatabaseConnectionString => new SqlConnectionStringBuilder(ServerConnectionString) { InitialCatalog = _database }.ConnectionString;

    protected override Dictionary<string, string?> Settings() => new()
    {
        ["Storage:Provider"] = "SqlServer",
        ["Storage:ConnectionString"] = DatabaseConnectionString,
    };

    /// <summary>Creates the database without migrating it (for migration tests on a fresh fixture).</summary>
    public Task CreateEmptyDatabaseAsync() => CreateDatabaseAsync();

    protected override async Task CreateDatabaseAsync()
    {
        _created = true;
        await ExecuteOnMasterAsync($"CREATE DATABASE [{_database}]; ALTER DATABASE [{_database}] SET READ_COMMITTED_SNAPSHOT ON;");
    }

    protected override async Task DropDatabaseAsync()
    {
        if (!_created)
        {
            return;
        }

        SqlConnection.ClearAllPools();
        await ExecuteOnMasterAsync($"IF DB_ID(N'{_database}') IS NOT NULL BEGIN ALTER DATABASE [{_database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{_database}]; END");
    }

    private static async Task ExecuteOnMasterAsync(string sql)
    {
        var master = new SqlConnectionStringBuilder(ServerConnectionString) { InitialCatalog = "master" }.ConnectionString;
        await using var conn = new SqlConnection(master);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await conn.OpenAsync(timeout.Token);
        await using var cmd = new SqlCommand(sql, conn) { CommandTimeout = 120 };
        await cmd.ExecuteNonQueryAsync(timeout.Token);
    }
}
