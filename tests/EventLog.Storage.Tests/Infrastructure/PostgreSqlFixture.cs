using EventLog.Tests.Shared;

namespace EventLog.Storage.Tests.Infrastructure;

/// <summary>
/// PostgreSQL, when EVENTLOG_TEST_POSTGRES holds a connection string (tests/run.sh starts a private cluster and
/// sets it): a fresh database per test class, dropped afterwards. The role needs CREATEDB.
/// </summary>
public sealed class PostgreSqlFixture : StorageFixture
{
    private readonly PostgresTestDatabase _database = new("eventlog_test_");

    public override StorageProvider Provider => StorageProvider.PostgreSql;

    public override string? SkipReason => PostgresTestDatabase.SkipReason;

    public string DatabaseConnectionString => _database.ConnectionString;

    protected override Dictionary<string, string?> Settings() => new()
    {
        ["Storage:Provider"] = "PostgreSql",
        ["Storage:ConnectionString"] = DatabaseConnectionString,
    };

    /// <summary>Creates the database without migrating it (for migration tests on a fresh fixture).</summary>
    public Task CreateEmptyDatabaseAsync() => CreateDatabaseAsync();

    protected override Task CreateDatabaseAsync() => _database.CreateAsync();

    protected override Task DropDatabaseAsync() => _database.DisposeAsync().AsTask();
}
