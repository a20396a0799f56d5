using System.Diagnostics;
using EventLog.V1;
using EventLog.Server.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Trace;
using StatusCode = Grpc.Core.StatusCode;

namespace EventLog.Security.Tests.Observability;

/// <summary>
/// The server's spans, as an OTLP collector would get them (here OpenTelemetry's in-memory exporter): the call's
/// span continues the caller's W3C trace and says who called (the token's name, never the token), for which project,
/// with which request id; its storage writes are its children. Probes are not traced.
/// </summary>
public sealed class TracingTests
{
    [Fact]
    public async Task CallSpan_ContinuesTheCallersTrace_NamingTheCallAndItsCaller_AndHoldsItsStorageWrite()
    {
        var spans = new SpanSink();
        await using var server = await StartTracedAsync(spans);
        var (traceId, callerSpan) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());
        var client = new MessagesService.MessagesServiceClient(server.CreateChannel(TestTokens.AgentA));

        await client.CreateMessageAsync(NewMessage(), Caller(traceId, callerSpan, "trace-create-1"), TestTimeouts.Deadline()).ResponseAsync.WithTimeout();

        // A span is exported when it ends, just after the response left.
        var call = await spans.SingleAsync(s => s.TraceId == traceId && s.Kind == ActivityKind.Server);
        Assert.Equal(callerSpan, call.ParentSpanId);
        Assert.Equal("eventlog.v1.MessagesService/CreateMessage", call.DisplayName);
        Assert.Equal("grpc", call.GetTagItem("rpc.system"));
        Assert.Equal("eventlog.v1.MessagesService", call.GetTagItem("rpc.service"));
        Assert.Equal("CreateMessage", call.GetTagItem("rpc.method"));
        Assert.Equal(0, call.GetTagItem("rpc.grpc.status_code"));
        Assert.Equal("trace-create-1", call.GetTagItem("eventlog.request_id"));
        Assert.Equal("agent-a", call.GetTagItem("enduser.id"));
        Assert.Equal("project-a", call.GetTagItem("eventlog.project"));
        Assert.Equal(ActivityStatusCode.Unset, call.Status);
        var write = Assert.Single(spans.Spans, s => s.Source.Name == EventLog.Storage.StorageTelemetry.ActivitySourceName && s.ParentSpanId == call.SpanId);
        Assert.Equal(traceId, write.TraceId);
        Assert.Contains("INSERT messages", (string[])write.GetTagItem("eventlog.storage.statements")!);
        Assert.All(spans.Spans.Where(s => s.TraceId == traceId).SelectMany(s => s.TagObjects), tag =>
            Assert.All(TestTokens.All, token => Assert.DoesNotContain(token.Token, tag.Value?.ToString() ?? "", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task FailedCall_OfTheCaller_IsNotAServerError_AndAnUnauthenticatedOneNamesNoPrincipal()
    {
        var spans = new SpanSink();
        await using var server = await StartTracedAsync(spans);
        var (notFound, anonymous) = (ActivityTraceId.CreateRandom(), ActivityTraceId.CreateRandom());

        var reader = new MessagesService.MessagesServiceClient(server.CreateChannel(TestTokens.ReaderA));
        await Assert.ThrowsAsync<RpcException>(() => reader.GetMessageAsync(new GetMessageRequest { Id = Guid.NewGuid().ToString() }, Caller(notFound, ActivitySpanId.CreateRandom(), "trace-get-1"), TestTimeouts.Deadline()).ResponseAsync.WithTimeout());
        var stranger = new MessagesService.MessagesServiceClient(server.CreateChannel("not-a-token"));
        await Assert.ThrowsAsync<RpcException>(() => stranger.ListMessagesAsync(new ListMessagesRequest(), Caller(anonymous, ActivitySpanId.CreateRandom(), "trace-list-1"), TestTimeouts.Deadline()).ResponseAsync.WithTimeout());

        var missing = await spans.SingleAsync(s => s.TraceId == notFound && s.Kind == ActivityKind.Server);
        Assert.Equal((int)StatusCode.NotFound, missing.GetTagItem("rpc.grpc.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, missing.Status);
        var refused = await spans.SingleAsync(s => s.TraceId == anonymous && s.Kind == ActivityKind.Server);
        Assert.Equal((int)StatusCode.Unauthenticated, refused.GetTagItem("rpc.grpc.status_code"));
        Assert.Equal("trace-list-1", refused.GetTagItem("eventlog.request_id"));
        Assert.Null(refused.GetTagItem("enduser.id"));
        Assert.Null(refused.GetTagItem("eventlog.project"));
    }

    [Fact]
    public async Task Probes_AreNotTraced_AndTracingOff_RecordsNothing()
    {
        var spans = new SpanSink();
        await using var server = await StartTracedAsync(spans);
        var probe = ActivityTraceId.CreateRandom();
        var health = new Grpc.Health.V1.Health.HealthClient(server.CreateAnonymousChannel());
        await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest(), Caller(probe, ActivitySpanId.CreateRandom(), "probe-1"), TestTimeouts.Deadline()).ResponseAsync.WithTimeout();
        using (var http = TestHttp.Create(server.Address))
        {
            using var ready = new HttpRequestMessage(HttpMethod.Get, ProbeMethods.ReadinessPath);
            ready.Headers.Add("traceparent", $"00-{probe}-{ActivitySpanId.CreateRandom()}-01");
            (await http.SendAsync(ready).WithTimeout()).Dispose();
        }
        // A traced call after the probes: once its span is out, the probes' would be too.
        var marker = ActivityTraceId.CreateRandom();
        var reader = new MessagesService.MessagesServiceClient(server.CreateChannel(TestTokens.ReaderA));
        await reader.ListMessagesAsync(new ListMessagesRequest(), Caller(marker, ActivitySpanId.CreateRandom(), "marker-1"), TestTimeouts.Deadline()).ResponseAsync.WithTimeout();
        await spans.SingleAsync(s => s.TraceId == marker);
        Assert.DoesNotContain(spans.Spans, s => s.TraceId == probe);

        var quiet = new SpanSink();
        await using var untraced = await StartTracedAsync(quiet, new() { ["Observability:EnableTracing"] = "false" });
        var agent = new MessagesService.MessagesServiceClient(untraced.CreateChannel(TestTokens.AgentA));
        await agent.CreateMessageAsync(NewMessage(), Caller(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), "quiet-1"), TestTimeouts.Deadline()).ResponseAsync.WithTimeout();
        Assert.Empty(quiet.Spans);
    }

    /// <summary>A server whose spans go to <paramref name="spans"/>, as a host that adds an exporter of its own.</summary>
    private static Task<EventLogHost> StartTracedAsync(SpanSink spans, Dictionary<string, string?>? settings = null) =>
        EventLogHost.StartAsync(settings, services => services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(spans)));

    private static Metadata Caller(ActivityTraceId traceId, ActivitySpanId spanId, string requestId) => new()
    {
        { "traceparent", $"00-{traceId}-{spanId}-01" },
        { "x-request-id", requestId },
    };

    private static CreateMessageRequest NewMessage() => new()
    {
        RequestId = "trace-" + Guid.NewGuid().ToString("N"), ActionCode = "001", DetailCode = "001", Level = MessageLevel.Error,
        ResourceType = "volume", ResourceUuid = Guid.NewGuid().ToString(),
    };
}
