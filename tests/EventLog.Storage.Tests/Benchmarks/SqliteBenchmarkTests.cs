using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EventLog.Storage.Tests.Benchmarks;

/// <summary>
/// Prints throughput and latency numbers (not a timed pass/fail test). Runs only when EVENTLOG_BENCH=1:
/// <c>EVENTLOG_BENCH=1 dotnet test tests/EventLog.Storage.Tests --filter Benchmark --logger "console;verbosity=detailed"</c>.
/// Prints append rows/s with single-row commits and batches of 100 and 1,000, then list latency p50/p99
/// over 1,000,000 request log rows (EVENTLOG_BENCH_ROWS overrides the count, to try it quickly) for three
/// filters, on the first page and on page 1,000 (page size 50).
/// </summary>
public sealed class SqliteBenchmarkTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int PageSize = 50;
    private const int DeepPage = 1000;
    private const int Samples = 300;
    private readonly int _listRows = int.TryParse(Environment.GetEnvironmentVariable("EVENTLOG_BENCH_ROWS"), out var rows) && rows > 0 ? rows : 1_000_000;
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

            var label = batch == 1 ? "single-row commits" : $"batches of {batch:N0}";
            output.WriteLine($"append {label,-18}: {rows / sw.Elapsed.TotalSeconds,12:N0} rows/s ({rows:N0} rows in {sw.Elapsed.TotalSeconds:N2} s)");
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
            // The token returned with page N continues at page N + 1: walk to page 999 to hold page 1000's token.
            string? deepToken = null;
            var page = 1;
            for (; page < DeepPage; page++)
            {
                deepToken = (await repo.ListRequestsAsync(filter, PageSize, deepToken)).NextPageToken;
                if (deepToken is null)
                {
                    break;
                }
            }

            var first = await MeasureAsync(() => repo.ListRequestsAsync(filter, PageSize, null));
            var deep = $"n/a (the filter has only {page} pages)";
            if (deepToken is not null)
            {
                var d = await MeasureAsync(() => repo.ListRequestsAsync(filter, PageSize, deepToken));
                deep = $"p50 {d.P50:N2} ms p99 {d.P99:N2} ms";
            }
            output.WriteLine($"list {name,-18} ({_listRows:N0} rows) page 1: p50 {first.P50:N2} ms p99 {first.P99:N2} ms | page {DeepPage:N0}: {deep}");
        }
    }

    private static async Task<(double P50, double P99)> MeasureAsync(Func<Task> action)
    {
        var samples = new List<double>(Samples);
        for (var i = 0; i < Samples; i++)
        {
            var sw = Stopwatch.StartNew();
            await action();
            samples.Add(sw.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        double Percentile(double p) => samples[(int)Math.Ceiling(p * samples.Count) - 1];
        return (Percentile(0.50), Percentile(0.99));
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
        for (var chunk = 0; chunk < _listRows; chunk += 50_000)
        {
            var end = Math.Min(chunk + 50_000, _listRows);
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
                for (var i = chunk; i < end; i++)
                {
                    DbValues.SetDateTime(at, start.AddMilliseconds(i * 250L));
                    user.Value = "user" + (i % 13);
                    app.Value = "app" + (i % 7);
                    await cmd.ExecuteNonQueryAsync();
                }

                return 0;
            }, CancellationToken.None);
        }

        output.WriteLine($"seeded {_listRows:N0} request log rows in {sw.Elapsed.TotalSeconds:N1} s");
    }
}
