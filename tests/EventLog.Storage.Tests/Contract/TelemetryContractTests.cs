using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace EventLog.Storage.Tests.Contract;

/// <summary>
/// The storage meter (<c>EventLog.Storage</c>) and spans on each provider: commits, their latency and size, the
/// writes pending, and watchers' wake-ups; a write's span is a child of its caller's and names its statements by
/// kind and table, never their values. Each test measures a container of its own, as a process of its own would.
/// </summary>
public abstract class TelemetryContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StorageFixture
{
    private string SystemName => Fixture.Provider switch
    {
        StorageProvider.SqlServer => "microsoft.sql_server",
        StorageProvider.PostgreSql => "postgresql",
        _ => "sqlite",
    };

    [SkippableFact]
    public async Task Write_IsCountedAsACommit_WithItsLatencyAndSize()
    {
        await using var services = Fixture.BuildServices();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var commits = new MetricCollector<long>(meters, StorageMetrics.MeterName, "eventlog.storage.commits");
        using var duration = new MetricCollector<double>(meters, StorageMetrics.MeterName, "eventlog.storage.commit.duration");
        using var writes = new MetricCollector<int>(meters, StorageMetrics.MeterName, "eventlog.storage.commit.writes");

        await services.GetRequiredService<IMessageRepository>().CreateAsync(Message(Unique("p"))).WaitAsync(Timeout);

        var commit = Assert.Single(commits.GetMeasurementSnapshot());
        Assert.Equal(1, commit.Value);
        Assert.Equal(SystemName, commit.Tags["db.system.name"]);
        Assert.False(commit.Tags.ContainsKey("error.type"));
        Assert.Equal(1, Assert.Single(writes.GetMeasurementSnapshot()).Value);
        var seconds = Assert.Single(duration.GetMeasurementSnapshot()).Value;
        Assert.InRange(seconds, double.Epsilon, Timeout.TotalSeconds);
    }

    [SkippableFact]
    public async Task QueueDepth_CountsAWriteUntilItCommits()
    {
        await using var services = Fixture.BuildServices();
        using var depth = new MetricCollector<long>(services.GetRequiredService<IMeterFactory>(), StorageMetrics.MeterName, "eventlog.storage.writer.queue_depth");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = services.GetRequiredService<StorageDatabase>().WriteAsync(async w =>
        {
            running.SetResult();
            await release.Task.WaitAsync(Timeout);
            return await w.AllocateAsync(Unique("held"));
        }, CancellationToken.None);
        await running.Task.WaitAsync(Timeout);

        depth.RecordObservableInstruments();
        var open = depth.LastMeasurement!;
        Assert.Equal(1, open.Value);
        Assert.Equal(SystemName, open.Tags["db.system.name"]);
        release.SetResult();
        await held.WaitAsync(Timeout);
        depth.RecordObservableInstruments();
        Assert.Equal(0, depth.LastMeasurement!.Value);
    }

    [SkippableFact]
    public async Task Write_IsTracedAsAChildOfTheCaller_NamingItsStatementsButNoValue()
    {
        const string secret = "resource-value-that-must-stay-out-of-spans";
        var spans = new List<Activity>();
        using var listener = Listen(spans);
        using var caller = new ActivitySource("EventLog.Storage.Tests");
        Activity? parent;
        using (parent = caller.StartActivity("caller"))
        {
            Assert.NotNull(parent);
            await Get<IMessageRepository>().CreateAsync(Message(Unique("p")) with { ResourceType = secret, IdempotencyKey = Unique("idem") }).WaitAsync(Timeout);
        }

        var span = Assert.Single(Snapshot(spans), s => s.Source.Name == StorageActivities.SourceName && s.TraceId == parent.TraceId);
        Assert.Equal(parent.SpanId, span.ParentSpanId);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal(SystemName, span.GetTagItem("db.system.name"));
        var statements = Assert.IsType<string[]>(span.GetTagItem(StorageActivities.StatementsTag));
        Assert.Contains(statements, s => s.StartsWith("INSERT ", StringComparison.Ordinal) && s.EndsWith("messages", StringComparison.Ordinal));
        Assert.Contains(statements, s => s.StartsWith("SELECT ", StringComparison.Ordinal) && s.EndsWith("idempotency_keys", StringComparison.Ordinal));
        Assert.All(span.TagObjects, tag => Assert.DoesNotContain(secret, tag.Value is string[] list ? string.Join(" ", list) : tag.Value?.ToString() ?? "", StringComparison.Ordinal));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [SkippableFact]
    public async Task FailedWrite_EndsItsSpanWithTheErrorType()
    {
        var spans = new List<Activity>();
        using var listener = Listen(spans);
        using var caller = new ActivitySource("EventLog.Storage.Tests");
        Activity? parent;
        using (parent = caller.StartActivity("caller"))
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => Get<StorageDatabase>().WriteAsync<long>(_ => throw new InvalidOperationException("refused"), CancellationToken.None).WaitAsync(Timeout));
        }

        var span = Assert.Single(Snapshot(spans), s => s.Source.Name == StorageActivities.SourceName && s.TraceId == parent!.TraceId);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(nameof(InvalidOperationException), span.GetTagItem("error.type"));
    }

    [SkippableFact]
    public async Task Watcher_WokenByACommitOfThisProcess_IsCountedWithItsLag()
    {
        // No poll comes between the waiter's first read and the commit: only the commit's signal can wake it.
        await using var services = Fixture.BuildServices(o => o.ChangePollInterval = TimeSpan.FromMinutes(5));
        var meters = services.GetRequiredService<IMeterFactory>();
        using var wakeups = new MetricCollector<long>(meters, StorageMetrics.MeterName, "eventlog.storage.watch.wakeups");
        using var lag = new MetricCollector<double>(meters, StorageMetrics.MeterName, "eventlog.storage.watch.lag");
        var project = Unique("p");
        var waiting = services.GetRequiredService<IChangeNotifier>().WaitForChangeAsync(StreamKeys.Messages(project), 0, Timeout);
        // Time for the waiter's first read (position 0): a commit before it would be found by that read instead.
        await Task.Delay(200);

        await services.GetRequiredService<IMessageRepository>().CreateAsync(Message(project)).WaitAsync(Timeout);

        Assert.Equal(1, await waiting.WaitAsync(Timeout));
        var wakeup = Assert.Single(wakeups.GetMeasurementSnapshot());
        Assert.Equal("commit", wakeup.Tags["eventlog.storage.wakeup"]);
        Assert.Equal(SystemName, wakeup.Tags["db.system.name"]);
        var seen = Assert.Single(lag.GetMeasurementSnapshot(), m => Equals(m.Tags["eventlog.storage.wakeup"], "commit"));
        Assert.InRange(seen.Value, 0, Timeout.TotalSeconds);
    }

    [SkippableFact]
    public async Task Watcher_FindsACommitOfAnotherProcessByPolling_WithinAboutThePollInterval()
    {
        // PostgreSQL would wake the watcher by the commit's announcement: this process does not listen, as when
        // its listening connection is down, and falls back to polling (PostgreSqlNotifyTests cover the announcements).
        await using var services = Fixture.BuildServices(o => o.ListenForCommits = false);
        await using var other = Fixture.BuildServices();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var wakeups = new MetricCollector<long>(meters, StorageMetrics.MeterName, "eventlog.storage.watch.wakeups");
        using var lag = new MetricCollector<double>(meters, StorageMetrics.MeterName, "eventlog.storage.watch.lag");
        // The watcher's first read must come before the other's commit: open its connection pool beforehand
        // (a first PostgreSQL connection can take longer than the whole commit).
        await services.GetRequiredService<IChangeNotifier>().GetPositionAsync(StreamKeys.Messages(Unique("warm"))).WaitAsync(Timeout);
        // On a loaded machine that first read can still come after the commit, and then it finds the change without
        // waking: nothing this test is about happened, so it is tried again on a new stream, at most three times.
        for (var attempt = 0; attempt < 3 && !wakeups.GetMeasurementSnapshot().Any(); attempt++)
        {
            var project = Unique("p");
            var waiting = services.GetRequiredService<IChangeNotifier>().WaitForChangeAsync(StreamKeys.Messages(project), 0, Timeout);

            await other.GetRequiredService<IMessageRepository>().CreateAsync(Message(project)).WaitAsync(Timeout);

            Assert.Equal(1, await waiting.WaitAsync(Timeout));
        }
        Assert.Contains(wakeups.GetMeasurementSnapshot(), m => Equals(m.Tags["eventlog.storage.wakeup"], "poll"));
        Assert.DoesNotContain(wakeups.GetMeasurementSnapshot(), m => Equals(m.Tags["eventlog.storage.wakeup"], "commit"));
        // The fixture polls every 100 ms: the change was at most that old, plus a read, when it was found.
        var found = Assert.Single(lag.GetMeasurementSnapshot());
        Assert.Equal("poll", found.Tags["eventlog.storage.wakeup"]);
        Assert.InRange(found.Value, 0.09, Timeout.TotalSeconds);
    }

    private static NewUserMessage Message(string project) => new() { Project = project, ActionCode = "A", DetailCode = "D" };

    /// <summary>Records every span of the storage and of this test's caller source (spans of other tests too: filter by trace).</summary>
    private static ActivityListener Listen(List<Activity> spans)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is StorageActivities.SourceName or "EventLog.Storage.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static List<Activity> Snapshot(List<Activity> spans)
    {
        lock (spans)
        {
            return [.. spans];
        }
    }
}

public sealed class SqliteTelemetryTests(SqliteFixture fixture) : TelemetryContractTests<SqliteFixture>(fixture);

public sealed class SqlServerTelemetryTests(SqlServerFixture fixture) : TelemetryContractTests<SqlServerFixture>(fixture);

public sealed class PostgreSqlTelemetryTests(PostgreSqlFixture fixture) : TelemetryContractTests<PostgreSqlFixture>(fixture);
