using System.Diagnostics;
using EventLog.Storage.Internal;
using EventLog.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EventLog.Storage.Tests.Benchmarks;

/// <summary>
/// Prints throughput and latency numbers (not a timed pass/fail test). Runs only when EVENTLOG_BENCH=1:
/// <c>EVENTLOG_BENCH=1 dotnet test tests/EventLog.Storage.Tests --filter Benchmark --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class SqliteBenchmarkTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int ListRows = 1_000_000;
    private readonly SqliteFixture _fixture = new();

    public Task InitializeAsync() => Environment.GetEnvironmentVariable("EVENTLOG_BENCH") == "1" ? _fixture.InitializeAsync() : Task.CompletedTask;

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [SkippableFact]
    public async Task Benchmark_AppendAndList()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("EVENTLOG_BENCH") == "1", "Benchmark skipped: set EVENTLOG_BENCH=1 to run it.");
        var repo = _fixture.Get<ITaskLogRepository>();
        foreach (var (batch, rows) in new[] { (1, 5_000), (100, 100_000), (1000, 200_000) })
        {
            var task = await repo.StartTaskAsync(new StartTaskRequest { Project = "bench", App = "a", TargetUri = "/bench" });
            var lines = Enumerable.Range(0, batch).Select(i => $"2024-01-01 12:00:00 INFO ansible task {i} ok: [node-{i % 10}] => changed=false").ToList();
            var sw = Stopwatch.StartNew();
            for (var done = 0; done < rows; done += batch)
            {
                await repo.AppendLinesAsync(task.Id, lines);
            }

            output.WriteLine($"append batch={batch,5}: {rows / sw.Elapsed.TotalSeconds,12:N0} rows/s ({rows:N0} rows in {sw.Elapsed.TotalSeconds:N2} s)");
        }

        await SeedRequestsAsync();
        var filters = new (string Name, RequestLogFilter Filter)[]
        {
            ("project", new RequestLogFilter { Project = "bench" }),
            ("project+app", new RequestLogFilter { Project = "bench", App = "app3" }),
            ("project+user+time", new RequestLogFilter { Project = "bench", UserName = "user7", From = new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc) }),
        };
        foreach (var (name, filter) in filters)
        {
            var first = new List<double>();
            var deep = new List<double>();
            string? token = null;
            for (var page = 1; page <= 1000; page++)
            {
                var sw = Stopwatch.StartNew();
                var result = await repo.ListRequestsAsync(filter, 50, token);
                var ms = sw.Elapsed.TotalMilliseconds;
                (page <= 100 ? first : deep).Add(ms);
                token = result.NextPageToken;
                if (token is null)
                {
                    break;
                }
            }

            var p1 = await MeasureAsync(() => repo.ListRequestsAsync(filter, 50, null));
            var pDeep = token is null ? (0d, 0d) : await MeasureAsync(() => repo.ListRequestsAsync(filter, 50, token));
            output.WriteLine($"list {name,-18} page 1: p50 {p1.P50:N2} ms p99 {p1.P99:N2} ms | page 1000: p50 {pDeep.Item1:N2} ms p99 {pDeep.Item2:N2} ms");
        }
    }

    private static async Task<(double P50, double P99)> MeasureAsync(Func<Task> action)
    {
        var samples = new List<double>();
        for (var i = 0; i < 300; i++)
        {
            var sw = Stopwatch.StartNew();
            await action();
            samples.Add(sw.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        return (samples[samples.Count / 2], samples[(int)(samples.Count * 0.99)]);
    }

    private async Task SeedRequestsAsync()
    {
        var database = _fixture.Services.GetRequiredService<StorageDatabase>();
        var sw = Stopwatch.StartNew();
        const string Insert = """
            INSERT INTO request_log (project, occurred_at, zone, kind, user_name, client_ip, status, app, message_code, message_params)
            VALUES ('bench', @at, 'UTC', 'GET', @user, '10.0.0.1', 200, @app, 'M0001', '{}')
            """;
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var chunk = 0; chunk < ListRows; chunk += 50_000)
        {
            await database.WriteAsync(async w =>
            {
                await using var cmd = w.CreateCommand(Insert);
                var at = cmd.CreateParameter();
                at.ParameterName = "@at";
                var user = cmd.CreateParameter();
                user.ParameterName = "@user";
                var app = cmd.CreateParameter();
                app.ParameterName = "@app";
                cmd.Parameters.Add(at);
                cmd.Parameters.Add(user);
                cmd.Parameters.Add(app);
                for (var i = chunk; i < chunk + 50_000; i++)
                {
                    DbValues.SetDateTime(at, start.AddMilliseconds(i * 250L));
                    user.Value = "user" + (i % 13);
                    app.Value = "app" + (i % 7);
                    await cmd.ExecuteNonQueryAsync();
                }

                return 0;
            }, CancellationToken.None);
        }

        output.WriteLine($"seeded {ListRows:N0} request log rows in {sw.Elapsed.TotalSeconds:N1} s");
    }
}
