using System.Diagnostics;
using EventLog.Storage.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EventLog.Storage.Tests.Benchmarks;

/// <summary>
/// Prints how late a watcher on one instance sees a commit made on another (not a timed pass/fail test). Runs only
/// when EVENTLOG_BENCH=1 and EVENTLOG_TEST_POSTGRES is set:
/// <c>EVENTLOG_BENCH=1 dotnet test tests/EventLog.Storage.Tests --filter PostgreSqlBenchmark --logger "console;verbosity=detailed"</c>.
/// Each sample: a watcher on instance B waits on a stream, instance A commits a message to it; the time from A's
/// commit returning to B's wait returning, p50/p99/max over the samples. B polls every minute, so only the
/// announcement can wake it in time.
/// </summary>
public sealed class PostgreSqlBenchmarkTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Samples = 500;
    private readonly PostgreSqlFixture _fixture = new();

    private static bool Enabled => Environment.GetEnvironmentVariable("EVENTLOG_BENCH") == "1";

    public Task InitializeAsync() => Enabled && _fixture.SkipReason is null ? _fixture.InitializeAsync() : Task.CompletedTask;

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [SkippableFact]
    public async Task Benchmark_CrossInstanceWakeLatency()
    {
        Skip.IfNot(Enabled, "Benchmark skipped: set EVENTLOG_BENCH=1 to run it.");
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        await using var a = _fixture.BuildServices(o => o.ChangePollInterval = TimeSpan.FromMinutes(1));
        await using var b = _fixture.BuildServices(o => o.ChangePollInterval = TimeSpan.FromMinutes(1));
        await ((PostgreSqlStorageDatabase)b.GetRequiredService<StorageDatabase>()).Listener!.Listening.WaitAsync(TimeSpan.FromSeconds(30));
        var writer = a.GetRequiredService<IMessageRepository>();
        var watcher = b.GetRequiredService<IChangeNotifier>();
        var project = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var key = StreamKeys.Messages(project);
        var afterReturn = new List<double>(Samples);
        var afterCall = new List<double>(Samples);
        for (var seq = 1; seq <= Samples; seq++)
        {
            var waiting = watcher.WaitForChangeAsync(key, seq - 1, TimeSpan.FromSeconds(30));
            var woke = waiting.ContinueWith(_ => Stopwatch.GetTimestamp(), TaskScheduler.Default);
            var called = Stopwatch.GetTimestamp();
            await writer.CreateAsync(new NewUserMessage { Project = project, ActionCode = "A", DetailCode = "D" });
            var returned = Stopwatch.GetTimestamp();
            Assert.Equal(seq, await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
            var wokeAt = await woke;
            // The announcement can arrive before A's own call has returned: that counts as no delay.
            afterReturn.Add(Math.Max(0, Stopwatch.GetElapsedTime(returned, wokeAt).TotalMilliseconds));
            afterCall.Add(Stopwatch.GetElapsedTime(called, wokeAt).TotalMilliseconds);
        }

        output.WriteLine($"cross-instance wake-up, {Samples} samples: after A's commit returned {Percentiles(afterReturn)}; after A's write began {Percentiles(afterCall)}");
    }

    private static string Percentiles(List<double> samples)
    {
        samples.Sort();
        return $"p50 {samples[samples.Count / 2]:F2} ms, p99 {samples[(samples.Count * 99 / 100) - 1]:F2} ms, max {samples[^1]:F2} ms";
    }
}
