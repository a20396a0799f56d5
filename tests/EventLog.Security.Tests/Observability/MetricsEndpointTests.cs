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
    private SecurityServer? _server;

    private SecurityServer Server => _server!;

    public async Task InitializeAsync() => _server = await SecurityServer.StartAsync(new Dictionary<string, string?>
    {
        ["Observability:MetricsUrl"] = "http://127.0.0.1:0",
        ["Storage:Retention:ReapInterval"] = "00:00:00.200",
        ["Storage:Retention:MessageTtl"] = "00:00:00.300",
    });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Fact]
    public async Task Metrics_AreServedInPrometheusTextFormat()
    {
        var agent = new MessagesService.MessagesServiceClient(Server.CreateChannel(Tokens.AgentA));
        for (var i = 0; i < 3; i++)
        {
            await agent.CreateMessageAsync(new CreateMessageRequest { RequestId = "m" + i, ActionCode = "001", DetailCode = "001", Level = MessageLevel.Error, ResourceType = "volume", ResourceUuid = Guid.NewGuid().ToString() }, deadline: TestTimeouts.Deadline());
        }
        await Assert.ThrowsAsync<RpcException>(() => agent.GetMessageAsync(new GetMessageRequest { Id = Guid.NewGuid().ToString() }, deadline: TestTimeouts.Deadline()).ResponseAsync.WithTimeout());
        using var watch = new MessagesService.MessagesServiceClient(Server.CreateChannel(Tokens.ReaderA)).WatchMessages(new WatchMessagesRequest { AfterSequence = 100 }, deadline: TestTimeouts.Deadline());
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

    [GeneratedRegex("""eventlog_storage_rows_reaped_total\{reaper="messages"\} [1-9]""")]
    private static partial Regex RowsReaped();

    [GeneratedRegex("""^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)$""")]
    private static partial Regex SampleLine();
}
