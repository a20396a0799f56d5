using System.Net;
using System.Text.RegularExpressions;
using EventLog.Security.Tests.Infrastructure;
using EventLog.Server.Observability;
using EventLog.V1;
using Grpc.Core;

namespace EventLog.Security.Tests.Observability;

/// <summary>Prometheus metrics on the separate metrics listener: calls, errors by code, latency, active streams, rows reaped, runtime.</summary>
public sealed partial class MetricsEndpointTests : IAsyncLifetime
{
    private EventLogHost? _server;

    private EventLogHost Server => _server!;

    public async Task InitializeAsync() => _server = await EventLogHost.StartAsync(new Dictionary<string, string?>
    {
        ["Observability:MetricsUrl"] = "http://127.0.0.1:0",
        ["Storage:Retention:ReapInterval"] = "00:00:00.200",
        ["Storage:Retention:MessageTtl"] = "00:00:00.300",
    });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Fact]
    public async Task Metrics_AreServedInPrometheusTextFormat()
    {
        var agent = new MessagesService.MessagesServiceClient(Server.CreateChannel(TestTokens.AgentA));
        for (var i = 0; i < 3; i++)
        {
            await agent.CreateMessageAsync(new CreateMessageRequest { RequestId = "m" + i, ActionCode = "001", DetailCode = "001", Level = MessageLevel.Error, ResourceType = "volume", ResourceUuid = Guid.NewGuid().ToString() }, deadline: TestTimeouts.Deadline());
        }
        await Assert.ThrowsAsync<RpcException>(() => agent.GetMessageAsync(new GetMessageRequest { Id = Guid.NewGuid().ToString() }, deadline: TestTimeouts.Deadline()).ResponseAsync.WithTimeout());
        using var watch = new MessagesService.MessagesServiceClient(Server.CreateChannel(TestTokens.ReaderA)).WatchMessages(new WatchMessagesRequest { AfterSequence = 100 }, deadline: TestTimeouts.Deadline());
        var read = watch.ResponseStream.MoveNext(CancellationToken.None);

        var text = "";
        var until = DateTime.UtcNow.AddSeconds(20);
        do
        {
            text = await ScrapeAsync();
            if (text.Contains("eventlog_storage_rows_reaped_total", StringComparison.Ordinal) && text.Contains("eventlog_rpc_server_active_streams{rpc_method=\"/eventlog.v1.MessagesService/WatchMessages\"} 1", StringComparison.Ordinal))
            {
                break;
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < until);

        Assert.Contains("# TYPE eventlog_rpc_server_calls_total counter", text, StringComparison.Ordinal);
        Assert.Contains("eventlog_rpc_server_calls_total{rpc_grpc_status_code=\"OK\",rpc_method=\"/eventlog.v1.MessagesService/CreateMessage\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("eventlog_rpc_server_errors_total{rpc_grpc_status_code=\"NOT_FOUND\",rpc_method=\"/eventlog.v1.MessagesService/GetMessage\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE eventlog_rpc_server_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("eventlog_rpc_server_duration_seconds_bucket{rpc_method=\"/eventlog.v1.MessagesService/CreateMessage\",le=\"+Inf\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("eventlog_rpc_server_duration_seconds_count{rpc_method=\"/eventlog.v1.MessagesService/CreateMessage\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("eventlog_rpc_server_active_streams{rpc_method=\"/eventlog.v1.MessagesService/WatchMessages\"} 1", text, StringComparison.Ordinal);
        Assert.Matches(RowsReaped(), text);
        Assert.Contains("dotnet_", text, StringComparison.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
        {
            Assert.Matches(SampleLine(), line);
        }
        watch.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(() => read.WithTimeout());
    }

    [Fact]
    public async Task Metrics_HavePlausibleValuesAfterCalls()
    {
        const string create = "/eventlog.v1.MessagesService/CreateMessage";
        const string get = "/eventlog.v1.MessagesService/GetMessage";
        const string watchMethod = "/eventlog.v1.MessagesService/WatchMessages";
        var agent = new MessagesService.MessagesServiceClient(Server.CreateChannel(TestTokens.AgentA));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            await agent.CreateMessageAsync(new CreateMessageRequest { RequestId = "p" + i, ActionCode = "001", DetailCode = "001", Level = MessageLevel.Error, ResourceType = "volume", ResourceUuid = Guid.NewGuid().ToString() }, deadline: TestTimeouts.Deadline()).ResponseAsync.WithTimeout();
        }
        var createTime = clock.Elapsed;
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<RpcException>(() => agent.GetMessageAsync(new GetMessageRequest { Id = Guid.NewGuid().ToString() }, deadline: TestTimeouts.Deadline()).ResponseAsync.WithTimeout());
        }
        var watch = new MessagesService.MessagesServiceClient(Server.CreateChannel(TestTokens.ReaderA)).WatchMessages(new WatchMessagesRequest { AfterSequence = 100 }, deadline: TestTimeouts.Deadline());
        var read = watch.ResponseStream.MoveNext(CancellationToken.None);

        // The five messages expire after 300 ms and the reaper runs every 200 ms.
        var open = await ScrapeUntilAsync(m => Value(m, "eventlog_rpc_server_active_streams", ("rpc_method", watchMethod)) == 1
            && Value(m, "eventlog_storage_rows_reaped_total", ("reaper", "messages")) >= 5);

        Assert.Equal(5, Value(open, "eventlog_rpc_server_calls_total", ("rpc_method", create), ("rpc_grpc_status_code", "OK")));
        Assert.Equal(2, Value(open, "eventlog_rpc_server_calls_total", ("rpc_method", get), ("rpc_grpc_status_code", "NOT_FOUND")));
        Assert.Equal(2, Value(open, "eventlog_rpc_server_errors_total", ("rpc_method", get), ("rpc_grpc_status_code", "NOT_FOUND")));
        Assert.Null(Value(open, "eventlog_rpc_server_errors_total", ("rpc_method", create), ("rpc_grpc_status_code", "OK")));
        Assert.DoesNotContain(open, m => m.Name == "eventlog_rpc_server_errors_total" && m.Labels.GetValueOrDefault("rpc_grpc_status_code") == "OK");
        Assert.Equal(5, Value(open, "eventlog_storage_rows_reaped_total", ("reaper", "messages")));

        // Latency: cumulative buckets that end at the count, and a sum no larger than the calls took end to end.
        var buckets = open.Where(m => m.Name == "eventlog_rpc_server_duration_seconds_bucket" && m.Labels["rpc_method"] == create)
            .Select(m => (Le: m.Labels["le"] == "+Inf" ? double.PositiveInfinity : double.Parse(m.Labels["le"], System.Globalization.CultureInfo.InvariantCulture), m.Value))
            .OrderBy(b => b.Le).ToList();
        Assert.True(buckets.Count > 5, "the histogram has buckets");
        Assert.Equal(buckets.Select(b => b.Value).Order(), buckets.Select(b => b.Value));
        Assert.Equal(5, buckets[^1].Value);
        Assert.Equal(5, Value(open, "eventlog_rpc_server_duration_seconds_count", ("rpc_method", create)));
        var sum = Value(open, "eventlog_rpc_server_duration_seconds_sum", ("rpc_method", create));
        Assert.True(sum > 0 && sum <= createTime.TotalSeconds, $"sum of CreateMessage durations {sum} s, the calls took {createTime.TotalSeconds} s");

        watch.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(() => read.WithTimeout());
        // The stream is counted as ended and as a call in two steps; wait for both.
        var closed = await ScrapeUntilAsync(m => Value(m, "eventlog_rpc_server_active_streams", ("rpc_method", watchMethod)) == 0
            && m.Any(s => s.Name == "eventlog_rpc_server_calls_total" && s.Labels["rpc_method"] == watchMethod));
        var watchCalls = Assert.Single(closed, s => s.Name == "eventlog_rpc_server_calls_total" && s.Labels["rpc_method"] == watchMethod);
        Assert.Equal(1, watchCalls.Value);
        Assert.Equal("CANCELLED", watchCalls.Labels["rpc_grpc_status_code"]);
    }

    [Fact]
    public async Task GrpcPort_DoesNotServeMetrics()
    {
        using var client = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await client.GetAsync(new Uri(Server.Address, "/metrics")).WithTimeout();
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<string> ScrapeAsync()
    {
        var address = Server.Services.GetRequiredService<MetricsEndpoint>().Address;
        Assert.NotNull(address);
        using var client = new HttpClient();
        using var response = await client.GetAsync(address).WithTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync().WithTimeout();
    }

    private async Task<List<Sample>> ScrapeUntilAsync(Func<List<Sample>, bool> condition)
    {
        var until = DateTime.UtcNow + TestTimeouts.Default;
        while (true)
        {
            var text = await ScrapeAsync();
            var samples = Parse(text);
            if (condition(samples))
            {
                return samples;
            }
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("The metrics never reached the expected values:\n" + text);
            }
            await Task.Delay(200);
        }
    }

    private static double? Value(List<Sample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value) && s.Labels.Count == labels.Length)
            .Select(s => (double?)s.Value).SingleOrDefault();

    private static List<Sample> Parse(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).Select(line =>
        {
            var match = SampleParts().Match(line);
            Assert.True(match.Success, line);
            var labels = match.Groups["label"].Captures.Select((c, i) => (c.Value, match.Groups["value"].Captures[i].Value)).ToDictionary(p => p.Item1, p => p.Item2);
            return new Sample(match.Groups["name"].Value, labels, double.Parse(match.Groups["sample"].Value, System.Globalization.CultureInfo.InvariantCulture));
        })];

    private sealed record Sample(string Name, Dictionary<string, string> Labels, double Value);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?<label>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>[^"]*)",?)*\})? (?<sample>\S+)$""")]
    private static partial Regex SampleParts();

    [GeneratedRegex("""eventlog_storage_rows_reaped_total\{reaper="messages"\} [1-9]""")]
    private static partial Regex RowsReaped();

    [GeneratedRegex("""^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)$""")]
    private static partial Regex SampleLine();
}
