using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using EventLog.V1;

namespace EventLog.Security.Tests.Observability;

/// <summary>
/// Prometheus metrics served by OpenTelemetry's exporter on the server's own listener (here its h2c gRPC one):
/// call durations by the RPC conventions (service, method, numeric status code), active streams, the storage meter
/// and the runtime's.
/// </summary>
public sealed partial class PrometheusEndpointTests : IAsyncLifetime
{
    private const string Service = "eventlog.v1.MessagesService";
    private const string Duration = "rpc_server_call_duration_seconds";

    private EventLogHost? _server;

    private EventLogHost Server => _server!;

    public async Task InitializeAsync() => _server = await EventLogHost.StartAsync(new Dictionary<string, string?>
    {
        ["Storage:Retention:ReapInterval"] = "00:00:00.200",
        ["Storage:Retention:MessageTtl"] = "00:00:00.300",
    });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Fact]
    public async Task Metrics_AreServedInPrometheusTextFormat_UnderTheConventionsNames()
    {
        var agent = new MessagesService.MessagesServiceClient(Server.CreateChannel(TestTokens.AgentA));
        for (var i = 0; i < 3; i++)
        {
            await agent.CreateMessageAsync(NewMessage("m" + i), deadline: TestTimeouts.Deadline()).ResponseAsync.WithTimeout();
        }
        await Assert.ThrowsAsync<RpcException>(() => agent.GetMessageAsync(new GetMessageRequest { Id = Guid.NewGuid().ToString() }, deadline: TestTimeouts.Deadline()).ResponseAsync.WithTimeout());
        using var watch = new MessagesService.MessagesServiceClient(Server.CreateChannel(TestTokens.ReaderA)).WatchMessages(new WatchMessagesRequest { AfterSequence = 100 }, deadline: TestTimeouts.Deadline());
        var read = watch.ResponseStream.MoveNext(CancellationToken.None);

        // The watch wakes to poll once a second (Storage:ChangePollInterval) while nothing is committed to its stream.
        var (text, samples) = await ScrapeUntilAsync(s => Value(s, "eventlog_rpc_server_active_streams", ("rpc_method", "WatchMessages")) == 1
            && Value(s, "eventlog_storage_rows_reaped_total", ("eventlog_storage_reaper", "messages")) >= 3
            && s.Any(w => w.Name == "eventlog_storage_watch_wakeups_total"));

        Assert.Contains($"# TYPE {Duration} histogram", text, StringComparison.Ordinal);
        Assert.Equal(3, Value(samples, Duration + "_count", ("rpc_system", "grpc"), ("rpc_service", Service), ("rpc_method", "CreateMessage"), ("rpc_grpc_status_code", "0")));
        Assert.Equal(1, Value(samples, Duration + "_count", ("rpc_service", Service), ("rpc_method", "GetMessage"), ("rpc_grpc_status_code", ((int)StatusCode.NotFound).ToString(CultureInfo.InvariantCulture))));
        Assert.DoesNotContain(samples, s => s.Labels.TryGetValue("rpc_method", out var method) && method.StartsWith('/'));
        // The storage meter: commits with their latency and size, the writer's queue, reaping and the watchers.
        Assert.True(Value(samples, "eventlog_storage_commits_total", ("db_system_name", "sqlite")) >= 3);
        Assert.Contains("# TYPE eventlog_storage_commit_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE eventlog_storage_commit_writes histogram", text, StringComparison.Ordinal);
        Assert.NotNull(Value(samples, "eventlog_storage_writer_queue_depth", ("db_system_name", "sqlite")));
        Assert.Contains(samples, s => s.Name == "eventlog_storage_watch_wakeups_total" && s.Labels.GetValueOrDefault("eventlog_storage_wakeup") == "poll");
        Assert.Contains(samples, s => s.Name.StartsWith("dotnet_", StringComparison.Ordinal));
        // Nothing of the hand-written exporter's names is left.
        Assert.DoesNotContain("eventlog_rpc_server_calls", text, StringComparison.Ordinal);
        watch.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(() => read.WithTimeout());
    }

    [Fact]
    public async Task Metrics_HavePlausibleValuesAfterCalls()
    {
        var agent = new MessagesService.MessagesServiceClient(Server.CreateChannel(TestTokens.AgentA));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            await agent.CreateMessageAsync(NewMessage("p" + i), deadline: TestTimeouts.Deadline()).ResponseAsync.WithTimeout();
        }
        var createTime = clock.Elapsed;
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<RpcException>(() => agent.GetMessageAsync(new GetMessageRequest { Id = Guid.NewGuid().ToString() }, deadline: TestTimeouts.Deadline()).ResponseAsync.WithTimeout());
        }
        var watch = new MessagesService.MessagesServiceClient(Server.CreateChannel(TestTokens.ReaderA)).WatchMessages(new WatchMessagesRequest { AfterSequence = 100 }, deadline: TestTimeouts.Deadline());
        var read = watch.ResponseStream.MoveNext(CancellationToken.None);

        // The five messages expire after 300 ms and the reaper runs every 200 ms.
        var (_, open) = await ScrapeUntilAsync(m => Value(m, "eventlog_rpc_server_active_streams", ("rpc_method", "WatchMessages")) == 1
            && Value(m, "eventlog_storage_rows_reaped_total", ("eventlog_storage_reaper", "messages")) >= 5);

        Assert.Equal(5, Value(open, Duration + "_count", ("rpc_method", "CreateMessage"), ("rpc_grpc_status_code", "0")));
        Assert.Equal(2, Value(open, Duration + "_count", ("rpc_method", "GetMessage"), ("rpc_grpc_status_code", "5")));
        Assert.Null(Value(open, Duration + "_count", ("rpc_method", "GetMessage"), ("rpc_grpc_status_code", "0")));
        Assert.Equal(5, Value(open, "eventlog_storage_rows_reaped_total", ("eventlog_storage_reaper", "messages")));

        // Latency: cumulative buckets that end at the count, and a sum no larger than the calls took end to end.
        var buckets = open.Where(m => m.Name == Duration + "_bucket" && m.Labels["rpc_method"] == "CreateMessage")
            .Select(m => (Le: m.Labels["le"] == "+Inf" ? double.PositiveInfinity : double.Parse(m.Labels["le"], CultureInfo.InvariantCulture), m.Value))
            .OrderBy(b => b.Le).ToList();
        Assert.True(buckets.Count > 5, "the histogram has buckets");
        Assert.Equal(buckets.Select(b => b.Value).Order(), buckets.Select(b => b.Value));
        Assert.Equal(5, buckets[^1].Value);
        var sum = Value(open, Duration + "_sum", ("rpc_method", "CreateMessage"), ("rpc_grpc_status_code", "0"));
        Assert.True(sum > 0 && sum <= createTime.TotalSeconds, $"sum of CreateMessage durations {sum} s, the calls took {createTime.TotalSeconds} s");

        watch.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(() => read.WithTimeout());
        // The stream is counted as ended and as a call in two steps; wait for both.
        var (_, closed) = await ScrapeUntilAsync(m => Value(m, "eventlog_rpc_server_active_streams", ("rpc_method", "WatchMessages")) == 0
            && m.Any(s => s.Name == Duration + "_count" && s.Labels["rpc_method"] == "WatchMessages"));
        var watchCalls = Assert.Single(closed, s => s.Name == Duration + "_count" && s.Labels["rpc_method"] == "WatchMessages");
        Assert.Equal(1, watchCalls.Value);
        Assert.Equal(((int)StatusCode.Cancelled).ToString(CultureInfo.InvariantCulture), watchCalls.Labels["rpc_grpc_status_code"]);
    }

    [Fact]
    public async Task ProbesAndScrapes_AreNotCountedAsCalls()
    {
        var health = new Grpc.Health.V1.Health.HealthClient(Server.CreateChannel(null));
        await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest(), deadline: TestTimeouts.Deadline()).ResponseAsync.WithTimeout();
        await new MessagesService.MessagesServiceClient(Server.CreateChannel(TestTokens.ReaderA)).ListMessagesAsync(new ListMessagesRequest(), deadline: TestTimeouts.Deadline()).ResponseAsync.WithTimeout();

        var (_, samples) = await ScrapeUntilAsync(s => Value(s, Duration + "_count", ("rpc_method", "ListMessages")) == 1);

        Assert.DoesNotContain(samples, s => s.Labels.GetValueOrDefault("rpc_service") == "grpc.health.v1.Health");
    }

    [Fact]
    public async Task MetricsOff_NothingIsServed()
    {
        await using var server = await EventLogHost.StartAsync(new Dictionary<string, string?> { ["Observability:EnableMetrics"] = "false" });
        using var http = TestHttp.Create(server.Address);
        using var response = await http.GetAsync("/metrics").WithTimeout();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static CreateMessageRequest NewMessage(string requestId) => new()
    {
        RequestId = requestId, ActionCode = "001", DetailCode = "001", Level = MessageLevel.Error, ResourceType = "volume", ResourceUuid = Guid.NewGuid().ToString(),
    };

    private async Task<string> ScrapeAsync()
    {
        using var http = TestHttp.Create(Server.Address);
        using var response = await http.GetAsync("/metrics").WithTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync().WithTimeout();
    }

    private async Task<(string Text, List<Sample> Samples)> ScrapeUntilAsync(Func<List<Sample>, bool> condition)
    {
        var until = DateTime.UtcNow + TestTimeouts.Default;
        while (true)
        {
            var text = await ScrapeAsync();
            var samples = Parse(text);
            if (condition(samples))
            {
                return (text, samples);
            }
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("The metrics never reached the expected values:\n" + text);
            }
            await Task.Delay(200);
        }
    }

    /// <summary>The value of the one sample of <paramref name="name"/> with these labels (others, such as the scope's, may be present); null when none.</summary>
    private static double? Value(List<Sample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value))
            .Select(s => (double?)s.Value).SingleOrDefault();

    /// <summary>Every line that is not a comment must be a well-formed sample: name, labels, value, optional timestamp.</summary>
    private static List<Sample> Parse(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).Select(line =>
        {
            var match = SampleLine().Match(line);
            Assert.True(match.Success, "not a Prometheus sample: " + line);
            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value);
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var number => double.Parse(number, CultureInfo.InvariantCulture),
            };
            return new Sample(match.Groups["name"].Value, labels, value);
        })];

    private sealed record Sample(string Name, Dictionary<string, string> Labels, double Value);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*)\})? (?<value>-?[0-9.eE+-]+|NaN|[+-]Inf)( -?[0-9]+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>([^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
