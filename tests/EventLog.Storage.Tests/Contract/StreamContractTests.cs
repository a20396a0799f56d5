
namespace EventLog.Storage.Tests.Contract;

public abstract class StreamContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StorageFixture
{
    [SkippableFact]
    public async Task Append_EightConcurrentWriters_SequencesGapFreeAndFollowerGetsAllInOrder()
    {
        const int Writers = 8, PerWriter = 1000, Total = Writers * PerWriter;
        var repo = Get<ITaskLogRepository>();
        var notifier = Get<IChangeNotifier>();
        var task = await repo.StartTaskAsync(new StartTaskRequest { Project = Unique("p"), App = "app", TargetUri = "/t" }).WaitAsync(Timeout);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        var follower = Task.Run(() => LineFollower.FollowAsync(repo, notifier, task.Id, Total, cts.Token));

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var mine = new List<long>(PerWriter);
            for (var i = 0; i < PerWriter; i++)
            {
                var range = await repo.AppendLinesAsync(task.Id, [$"w{w} #{i}"], cancellationToken: cts.Token);
                mine.Add(range.First);
            }

            return mine;
        })).ToList();

        var allocated = (await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(90))).SelectMany(x => x).Order().ToList();
        Assert.Equal(Enumerable.Range(1, Total).Select(i => (long)i), allocated);

        var lines = await follower.WaitAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(Enumerable.Range(1, Total).Select(i => (long)i), lines.Select(l => l.LineNo));
        Assert.Equal(Total, lines.Select(l => l.Text).Distinct().Count());
        Assert.Equal(Total, (await repo.GetTaskAsync(task.Id).WaitAsync(Timeout))!.LineCount);
    }

    [SkippableFact]
    public async Task WaitForChange_CommitInThisProcess_WakesAtOnce()
    {
        var repo = Get<IMessageRepository>();
        var notifier = Get<IChangeNotifier>();
        var project = Unique("p");
        var wait = notifier.WaitForChangeAsync(StreamKeys.Messages(project), 0);
        Assert.False(wait.IsCompleted);
        await repo.CreateAsync(new NewUserMessage { Project = project, ActionCode = "A1", DetailCode = "D1" }).WaitAsync(Timeout);
        Assert.Equal(1, await wait.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [SkippableFact]
    public async Task WaitForChange_CommitByOtherProcess_FoundByPolling()
    {
        // A second container has its own in-process signals, as another replica would.
        await using var other = Fixture.BuildServices();
        var project = Unique("p");
        var wait = Get<IChangeNotifier>().WaitForChangeAsync(StreamKeys.Messages(project), 0);
        await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<IMessageRepository>(other)
            .CreateAsync(new NewUserMessage { Project = project, ActionCode = "A1", DetailCode = "D1" }).WaitAsync(Timeout);
        Assert.Equal(1, await wait.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [SkippableFact]
    public async Task WaitForChange_StartedBehindWhatThisProcessCommitted_ReturnsAtOnceWithTheLast()
    {
        var repo = Get<IMessageRepository>();
        var project = Unique("p");
        for (var i = 0; i < 3; i++)
        {
            await repo.CreateAsync(new NewUserMessage { Project = project, ActionCode = "A1", DetailCode = "D1" }).WaitAsync(Timeout);
        }

        Assert.Equal(3, await Get<IChangeNotifier>().WaitForChangeAsync(StreamKeys.Messages(project), 1, TimeSpan.FromSeconds(20)).WaitAsync(Timeout));
    }

    [SkippableFact]
    public async Task WaitForChange_OtherProcessCommittedPastWhatThisProcessKnows_FoundByPolling()
    {
        // This process knows the stream at 1 (its own commit); the other process's commit before the wait is
        // not known here, so the wait must still find it by reading the position.
        var project = Unique("p");
        var key = StreamKeys.Messages(project);
        await Get<IMessageRepository>().CreateAsync(new NewUserMessage { Project = project, ActionCode = "A1", DetailCode = "D1" }).WaitAsync(Timeout);
        await using var other = Fixture.BuildServices();
        await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<IMessageRepository>(other)
            .CreateAsync(new NewUserMessage { Project = project, ActionCode = "A1", DetailCode = "D1" }).WaitAsync(Timeout);
        Assert.Equal(2, await Get<IChangeNotifier>().WaitForChangeAsync(key, 1, TimeSpan.FromSeconds(20)).WaitAsync(Timeout));
    }

    [SkippableFact]
    public async Task WaitForAnyChange_TouchOfAStreamThisProcessKnows_WakesTheSequenceWait()
    {
        var project = Unique("p");
        var key = StreamKeys.Messages(project);
        await Get<IMessageRepository>().CreateAsync(new NewUserMessage { Project = project, ActionCode = "A1", DetailCode = "D1" }).WaitAsync(Timeout);
        var wait = Get<IChangeNotifier>().WaitForAnyChangeAsync([(key, 1)], TimeSpan.FromSeconds(20));
        await Task.Delay(100);
        Assert.False(wait.IsCompleted);
        var database = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<EventLog.Storage.Core.StorageDatabase>(Fixture.Services);
        await database.WriteAsync(async w =>
        {
            await w.TouchAsync(key);
            return 0;
        }, CancellationToken.None).WaitAsync(Timeout);
        // A touch adds no row: the sequence stays, but the wait reports the stream so the caller re-reads it.
        Assert.Equal(new long?[] { 1 }, await wait.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [SkippableFact]
    public async Task WaitForChange_NothingCommitted_TimesOutWithNull()
    {
        var result = await Get<IChangeNotifier>().WaitForChangeAsync(StreamKeys.Messages(Unique("p")), 0, TimeSpan.FromMilliseconds(250)).WaitAsync(Timeout);
        Assert.Null(result);
    }
}

public sealed class SqliteStreamTests(SqliteFixture fixture) : StreamContractTests<SqliteFixture>(fixture);

public sealed class SqlServerStreamTests(SqlServerFixture fixture) : StreamContractTests<SqlServerFixture>(fixture);

public sealed class PostgreSqlStreamTests(PostgreSqlFixture fixture) : StreamContractTests<PostgreSqlFixture>(fixture);
