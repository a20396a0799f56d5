using Microsoft.Extensions.DependencyInjection;

namespace EventLog.Storage.Tests.Contract;

public abstract class RetentionContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StorageFixture
{
    [SkippableFact]
    public async Task ReapMessages_DeletesOnlyExpired_AtMostBatchPerRound()
    {
        var repo = Get<IMessageRepository>();
        var project = Unique("p");
        var expired = new List<Guid>();
        for (var i = 0; i < 25; i++)
        {
            expired.Add((await repo.CreateAsync(new NewUserMessage { Project = project, ActionCode = "A", DetailCode = "D", Ttl = TimeSpan.FromMinutes(1) }).WaitAsync(Timeout)).Id);
        }

        var kept = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            kept.Add((await repo.CreateAsync(new NewUserMessage { Project = project, ActionCode = "A", DetailCode = "D", Ttl = TimeSpan.FromDays(30) }).WaitAsync(Timeout)).Id);
        }

        kept.Add((await repo.CreateAsync(new NewUserMessage { Project = project, ActionCode = "A", DetailCode = "D", Ttl = TimeSpan.Zero }).WaitAsync(Timeout)).Id);
        var now = DateTime.UtcNow.AddHours(1);

        var rounds = new List<int>();
        int deleted;
        do
        {
            deleted = await repo.ReapExpiredAsync(now, 10).WaitAsync(Timeout);
            rounds.Add(deleted);
        }
        while (deleted > 0);

        // Other test classes share nothing with this database, but other tests of this class may have expired rows.
        Assert.All(rounds, r => Assert.True(r <= 10));
        Assert.True(rounds.Sum() >= 25);
        foreach (var id in expired)
        {
            Assert.Null(await repo.GetAsync(id).WaitAsync(Timeout));
        }

        foreach (var id in kept)
        {
            Assert.NotNull(await repo.GetAsync(id).WaitAsync(Timeout));
        }
    }

    [SkippableFact]
    public async Task ReapTasks_DeletesOldFinishedTasksAndLines_KeepsRunning()
    {
        var repo = Get<ITaskLogRepository>();
        var project = Unique("p");
        var done = await repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "a", TargetUri = "/x" }).WaitAsync(Timeout);
        await repo.AppendLinesAsync(done.Id, Enumerable.Range(0, 30).Select(i => "l" + i).ToList()).WaitAsync(Timeout);
        await repo.CompleteTaskAsync(done.Id).WaitAsync(Timeout);
        var running = await repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "a", TargetUri = "/y" }).WaitAsync(Timeout);
        await repo.AppendLinesAsync(running.Id, ["still going"]).WaitAsync(Timeout);

        var cutoff = DateTime.UtcNow.AddMinutes(1);
        var rounds = new List<int>();
        int deleted;
        do
        {
            deleted = await repo.ReapTasksAsync(cutoff, 8).WaitAsync(Timeout);
            rounds.Add(deleted);
        }
        while (deleted > 0);

        Assert.All(rounds, r => Assert.True(r <= 8));
        Assert.Null(await repo.GetTaskAsync(done.Id).WaitAsync(Timeout));
        Assert.Empty((await repo.ReadLinesAsync(done.Id, 0, 100).WaitAsync(Timeout)).Items);
        Assert.NotNull(await repo.GetTaskAsync(running.Id).WaitAsync(Timeout));
        Assert.Single((await repo.ReadLinesAsync(running.Id, 0, 100).WaitAsync(Timeout)).Items);
    }

    [SkippableFact]
    public async Task ReapTasks_DeletesTheStreamRowsOfReapedTasks_InTheSameRounds()
    {
        var repo = Get<ITaskLogRepository>();
        var database = Fixture.Services.GetRequiredService<StorageDatabase>();
        var project = Unique("p");
        var done = new List<TaskInfo>();
        for (var i = 0; i < 3; i++)
        {
            var task = await repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "a", TargetUri = "/done" }).WaitAsync(Timeout);
            if (i > 0)
            {
                await repo.AppendLinesAsync(task.Id, Enumerable.Range(0, 5 * i).Select(n => "l" + n).ToList()).WaitAsync(Timeout);
            }

            done.Add(await repo.CompleteTaskAsync(task.Id).WaitAsync(Timeout));
        }

        var running = await repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "a", TargetUri = "/running" }).WaitAsync(Timeout);
        await repo.AppendLinesAsync(running.Id, ["still going"]).WaitAsync(Timeout);
        Assert.Equal(5, await CountStreamRowsAsync(database, done));

        var cutoff = DateTime.UtcNow.AddMinutes(1);
        var rounds = new List<int>();
        int deleted;
        do
        {
            deleted = await repo.ReapTasksAsync(cutoff, 4).WaitAsync(Timeout);
            rounds.Add(deleted);
        }
        while (deleted > 0);

        Assert.All(rounds, r => Assert.True(r <= 4));
        foreach (var task in done)
        {
            Assert.Null(await repo.GetTaskAsync(task.Id).WaitAsync(Timeout));
        }

        Assert.Equal(0, await CountStreamRowsAsync(database, done));
        Assert.Equal(2, await CountStreamRowsAsync(database, [running]));
        Assert.Equal(1, await Get<IChangeNotifier>().GetLastSequenceAsync(StreamKeys.TaskLines(running.Id)).WaitAsync(Timeout));
    }

    private static async Task<long> CountStreamRowsAsync(StorageDatabase database, IEnumerable<TaskInfo> tasks)
    {
        // One parameter per key: Dapper passes a list to Npgsql as one array parameter, which "IN @keys" cannot take.
        var keys = tasks.SelectMany(t => new[] { StreamKeys.TaskLines(t.Id), StreamKeys.TaskState(t.Id) }).ToArray();
        var parameters = new Dapper.DynamicParameters();
        for (var i = 0; i < keys.Length; i++)
        {
            parameters.Add("key" + i, keys[i]);
        }

        var list = string.Join(", ", keys.Select((_, i) => "@key" + i));
        return await database.ScalarAsync<long>($"SELECT COUNT(*) FROM streams WHERE stream_key IN ({list})", parameters, CancellationToken.None).WaitAsync(Timeout);
    }

    [SkippableFact]
    public async Task ReapRequests_DeletesOnlyOlderThanCutoff()
    {
        var repo = Get<ITaskLogRepository>();
        var project = Unique("p");
        var old = DateTime.UtcNow.AddDays(-100);
        for (var i = 0; i < 12; i++)
        {
            await repo.RecordRequestAsync(new NewRequestLogEntry { Project = project, Kind = "GET", App = "a", MessageCode = "M", OccurredAt = old.AddMinutes(i) }).WaitAsync(Timeout);
        }

        var fresh = await repo.RecordRequestAsync(new NewRequestLogEntry { Project = project, Kind = "GET", App = "a", MessageCode = "M" }).WaitAsync(Timeout);
        Assert.Equal(5, await repo.ReapRequestsAsync(DateTime.UtcNow.AddDays(-90), 5).WaitAsync(Timeout));
        Assert.Equal(5, await repo.ReapRequestsAsync(DateTime.UtcNow.AddDays(-90), 5).WaitAsync(Timeout));
        Assert.Equal(2, await repo.ReapRequestsAsync(DateTime.UtcNow.AddDays(-90), 5).WaitAsync(Timeout));
        var page = await repo.ListRequestsAsync(new RequestLogFilter { Project = project }, 50, null).WaitAsync(Timeout);
        Assert.Equal([fresh.Id], page.Items.Select(e => e.Id));
    }
}

public sealed class SqliteRetentionTests(SqliteFixture fixture) : RetentionContractTests<SqliteFixture>(fixture);

public sealed class SqlServerRetentionTests(SqlServerFixture fixture) : RetentionContractTests<SqlServerFixture>(fixture);

public sealed class PostgreSqlRetentionTests(PostgreSqlFixture fixture) : RetentionContractTests<PostgreSqlFixture>(fixture);
