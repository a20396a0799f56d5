using System.Diagnostics;
using System.Diagnostics.Metrics;
using Dapper;
using EventLog.Storage.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Npgsql;

namespace EventLog.Storage.Tests.PostgreSql;

/// <summary>
/// Wake-ups across processes through LISTEN/NOTIFY. Each service container stands for a replica: its own
/// database instance, listener and commit signals. Poll intervals are minutes, so only a notification can wake
/// a watcher within the test, except where the polling fallback itself is tested.
/// </summary>
public sealed class PostgreSqlNotifyTests(PostgreSqlFixture fixture) : ContractTestBase<PostgreSqlFixture>(fixture)
{
    private static readonly TimeSpan NoPoll = TimeSpan.FromMinutes(5);

    [SkippableFact]
    public async Task CommitOfAnotherInstance_WakesWatcher_WellBeforeThePollInterval()
    {
        await using var watcher = await ReplicaAsync(NoPoll);
        await using var writer = await ReplicaAsync(NoPoll);
        using var wakeups = new MetricCollector<long>(watcher.GetRequiredService<IMeterFactory>(), StorageMetrics.MeterName, "eventlog.storage.watch.wakeups");
        var project = Unique("p");
        var waiting = await StartWaitAsync(watcher, project);

        // Woken by the announcement within a second of the commit, not by a poll five minutes away.
        Assert.InRange(await CommitFirstMessageAsync(writer, project, waiting), TimeSpan.Zero, TimeSpan.FromSeconds(1));
        var wakeup = Assert.Single(wakeups.GetMeasurementSnapshot());
        Assert.Equal("notify", wakeup.Tags["eventlog.storage.wakeup"]);
    }

    [SkippableFact]
    public async Task TouchByAnotherInstance_WakesPositionWatcher()
    {
        await using var watcher = await ReplicaAsync(NoPoll);
        await using var writer = await ReplicaAsync(NoPoll);
        var key = StreamKeys.Messages(Unique("p"));
        var notifier = watcher.GetRequiredService<IChangeNotifier>();
        var before = await notifier.GetPositionAsync(key).WaitAsync(Timeout);
        var waiting = notifier.WaitForChangeAsync(key, before, Timeout);
        await Task.Delay(200);

        await writer.GetRequiredService<StorageDatabase>().WriteAsync(async w =>
        {
            await w.TouchAsync(key);
            return 0;
        }, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(new StreamPosition(0, 1), await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [SkippableFact]
    public async Task RolledBackWrite_AnnouncesNothing()
    {
        await using var watcher = await ReplicaAsync(NoPoll);
        await using var writer = await ReplicaAsync(NoPoll);
        using var wakeups = new MetricCollector<long>(watcher.GetRequiredService<IMeterFactory>(), StorageMetrics.MeterName, "eventlog.storage.watch.wakeups");
        var key = StreamKeys.Messages(Unique("p"));
        var waiting = watcher.GetRequiredService<IChangeNotifier>().WaitForChangeAsync(key, 0, TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.GetRequiredService<StorageDatabase>().WriteAsync<long>(async w =>
        {
            await w.AllocateAsync(key);
            throw new InvalidOperationException("refused");
        }, CancellationToken.None).WaitAsync(Timeout));

        Assert.Null(await waiting.WaitAsync(Timeout));
        // The wait reads the position once more at its deadline (a poll); nothing woke it before.
        Assert.All(wakeups.GetMeasurementSnapshot(), m => Assert.Equal("poll", m.Tags["eventlog.storage.wakeup"]));
    }

    [SkippableFact]
    public async Task ListenerConnectionTerminated_Reconnects_AndWakesAgain()
    {
        await using var watcher = await ReplicaAsync(NoPoll);
        await using var writer = await ReplicaAsync(NoPoll);
        var database = (PostgreSqlStorageDatabase)watcher.GetRequiredService<StorageDatabase>();
        var project = Unique("p");
        var waiting = await StartWaitAsync(watcher, project);

        // Ends every listening connection of this test's database, as a server restart or a network cut would.
        await using (var admin = new NpgsqlConnection(Fixture.DatabaseConnectionString))
        {
            var ended = await admin.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = @name) AS t",
                new { name = PostgreSqlCommitListener.ApplicationName }).WaitAsync(Timeout);
            Assert.True(ended >= 2, $"Ended {ended} listening connections; expected one per replica.");
        }

        // The lost connection wakes the watcher to read its stream (nothing new yet), then it waits again.
        var listening = Stopwatch.StartNew();
        while (database.Listener!.Listens < 2)
        {
            Assert.True(listening.Elapsed < Timeout, "The listener did not listen again.");
            await Task.Delay(50);
        }

        Assert.False(waiting.IsCompleted);
        Assert.InRange(await CommitFirstMessageAsync(writer, project, waiting), TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    [SkippableFact]
    public async Task CommitWithoutAnnouncement_IsFoundByTheSafetyNetPoll()
    {
        // A commit that announced nothing (as if its announcement were lost): while listening, waiters still poll,
        // 30 times less often than configured (here every 1.5 s).
        await using var watcher = await ReplicaAsync(TimeSpan.FromMilliseconds(50));
        var key = StreamKeys.Messages(Unique("p"));
        var waiting = watcher.GetRequiredService<IChangeNotifier>().WaitForChangeAsync(key, 0, Timeout);
        await Task.Delay(200);

        await using (var conn = new NpgsqlConnection(Fixture.DatabaseConnectionString))
        {
            await conn.ExecuteAsync("INSERT INTO streams (stream_key, last_seq) VALUES (@key, 3)", new { key }).WaitAsync(Timeout);
        }

        Assert.Equal(3, await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>A replica: its own container over the fixture's database, listening before it is returned.</summary>
    private async Task<ServiceProvider> ReplicaAsync(TimeSpan pollInterval)
    {
        var services = Fixture.BuildServices(o => o.ChangePollInterval = pollInterval);
        await ((PostgreSqlStorageDatabase)services.GetRequiredService<StorageDatabase>()).Listener!.Listening.WaitAsync(Timeout);
        return services;
    }

    /// <summary>A wait for the first message of <paramref name="project"/> on <paramref name="watcher"/>, past its first read.</summary>
    private static async Task<Task<long?>> StartWaitAsync(ServiceProvider watcher, string project)
    {
        var waiting = watcher.GetRequiredService<IChangeNotifier>().WaitForChangeAsync(StreamKeys.Messages(project), 0, Timeout);
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        return waiting;
    }

    /// <summary>Commits the first message of <paramref name="project"/> on <paramref name="writer"/>; how long until <paramref name="waiting"/> saw it.</summary>
    private static async Task<TimeSpan> CommitFirstMessageAsync(ServiceProvider writer, string project, Task<long?> waiting)
    {
        var committing = Stopwatch.StartNew();
        await writer.GetRequiredService<IMessageRepository>().CreateAsync(Message(project)).WaitAsync(Timeout);
        Assert.Equal(1, await waiting.WaitAsync(Timeout));
        return committing.Elapsed;
    }

    private static NewUserMessage Message(string project) => new() { Project = project, ActionCode = "A", DetailCode = "D" };
}
