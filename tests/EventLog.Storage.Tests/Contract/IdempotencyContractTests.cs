
namespace EventLog.Storage.Tests.Contract;

public abstract class IdempotencyContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StorageFixture
{
    [SkippableFact]
    public async Task CreateMessage_SameIdempotencyKey_ReturnsFirstAndStoresNothing()
    {
        var repo = Get<IMessageRepository>();
        var project = Unique("p");
        var request = new NewUserMessage { Project = project, ActionCode = "A", DetailCode = "D", IdempotencyKey = "req-1" };
        var first = await repo.CreateAsync(request).WaitAsync(Timeout);
        var second = await repo.CreateAsync(request).WaitAsync(Timeout);
        Assert.Equal(first, second);
        var page = await repo.ListAsync(new MessageFilter { Project = project }, 10, null).WaitAsync(Timeout);
        Assert.Single(page.Items);
        Assert.Equal(1, await Get<IChangeNotifier>().GetLastSequenceAsync(StreamKeys.Messages(project)).WaitAsync(Timeout));
    }

    [SkippableFact]
    public async Task AppendLines_SameIdempotencyKey_ReturnsFirstRange()
    {
        var repo = Get<ITaskLogRepository>();
        var task = await repo.StartTaskAsync(new StartTaskRequest { Project = Unique("p"), App = "a", TargetUri = "/t", IdempotencyKey = "start-1" }).WaitAsync(Timeout);
        var again = await repo.StartTaskAsync(new StartTaskRequest { Project = task.Project, App = "a", TargetUri = "/t", IdempotencyKey = "start-1" }).WaitAsync(Timeout);
        Assert.Equal(task.Id, again.Id);

        var first = await repo.AppendLinesAsync(task.Id, ["a", "b"], "batch-1").WaitAsync(Timeout);
        var retry = await repo.AppendLinesAsync(task.Id, ["a", "b"], "batch-1").WaitAsync(Timeout);
        Assert.Equal(first, retry);
        Assert.Equal(2, (await repo.ReadLinesAsync(task.Id, 0, 10).WaitAsync(Timeout)).Items.Count);
        var entries = await repo.ListRequestsAsync(new RequestLogFilter { Project = task.Project }, 10, null).WaitAsync(Timeout);
        Assert.Single(entries.Items);
    }

    [SkippableFact]
    public async Task RecordRequest_ConcurrentRetriesWithSameKey_StoreOneEntry()
    {
        var repo = Get<ITaskLogRepository>();
        var project = Unique("p");
        var entry = new NewRequestLogEntry { Project = project, Kind = "POST", App = "a", MessageCode = "M", IdempotencyKey = "k" };
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => repo.RecordRequestAsync(entry)))).WaitAsync(Timeout);
        Assert.Single(results.Select(r => r.Id).Distinct());
        Assert.Single((await repo.ListRequestsAsync(new RequestLogFilter { Project = project }, 10, null).WaitAsync(Timeout)).Items);
    }
}

public sealed class SqliteIdempotencyTests(SqliteFixture fixture) : IdempotencyContractTests<SqliteFixture>(fixture);

public sealed class SqlServerIdempotencyTests(SqlServerFixture fixture) : IdempotencyContractTests<SqlServerFixture>(fixture);

public sealed class PostgreSqlIdempotencyTests(PostgreSqlFixture fixture) : IdempotencyContractTests<PostgreSqlFixture>(fixture);
