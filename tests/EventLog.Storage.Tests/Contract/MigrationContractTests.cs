using Microsoft.Extensions.DependencyInjection;

namespace EventLog.Storage.Tests.Contract;

public abstract class MigrationContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StorageFixture
{
    private static readonly IReadOnlyList<int> AllVersions =
        EventLog.Storage.Core.MigrationRunner.LoadScripts("Sqlite").Select(s => s.Version).ToList();

    [SkippableFact]
    public async Task Migrate_SecondTime_AppliesNothing()
    {
        var migrator = Get<IStorageMigrator>();
        Assert.Equal(0, await migrator.MigrateAsync().WaitAsync(Timeout));
        Assert.Equal(AllVersions, await migrator.GetAppliedVersionsAsync().WaitAsync(Timeout));
    }

    [SkippableFact]
    public async Task Migrate_TwoRunnersAtOnceOnFreshDatabase_ApplyEachScriptOnce()
    {
        // Fresh database: a second fixture of the same kind (own temp file / own SQL Server database).
        var fresh = (TFixture)Activator.CreateInstance(typeof(TFixture))!;
        await using var _ = new AsyncDisposer(fresh.DisposeAsync);
        await using var a = fresh.BuildServices();
        await using var b = fresh.BuildServices();
        await FreshDatabaseAsync(fresh).WaitAsync(TimeSpan.FromSeconds(120));

        var applied = await Task.WhenAll(
            Task.Run(() => a.GetRequiredService<IStorageMigrator>().MigrateAsync()),
            Task.Run(() => b.GetRequiredService<IStorageMigrator>().MigrateAsync())).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(AllVersions.Count, applied.Sum());
        Assert.Equal(AllVersions, await a.GetRequiredService<IStorageMigrator>().GetAppliedVersionsAsync().WaitAsync(Timeout));
        var message = await b.GetRequiredService<IMessageRepository>()
            .CreateAsync(new NewUserMessage { Project = "p", ActionCode = "A", DetailCode = "D" }).WaitAsync(Timeout);
        Assert.Equal(1, message.Seq);
    }

    protected abstract Task FreshDatabaseAsync(TFixture fixture);

    private sealed class AsyncDisposer(Func<Task> dispose) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await dispose();
    }
}

public sealed class SqliteMigrationTests(SqliteFixture fixture) : MigrationContractTests<SqliteFixture>(fixture)
{
    protected override Task FreshDatabaseAsync(SqliteFixture fixture) => Task.CompletedTask;
}

public sealed class SqlServerMigrationTests(SqlServerFixture fixture) : MigrationContractTests<SqlServerFixture>(fixture)
{
    protected override Task FreshDatabaseAsync(SqlServerFixture fixture) => fixture.CreateEmptyDatabaseAsync();
}

public sealed class PostgreSqlMigrationTests(PostgreSqlFixture fixture) : MigrationContractTests<PostgreSqlFixture>(fixture)
{
    protected override Task FreshDatabaseAsync(PostgreSqlFixture fixture) => fixture.CreateEmptyDatabaseAsync();
}
