using System.Diagnostics;
using System.Diagnostics.Metrics;
using EventLog.V1;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using StatusCode = Grpc.Core.StatusCode;

namespace EventLog.Client.Tests;

/// <summary>The SDK's meter and activity source are process-wide: nothing else may call while these tests count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "SDK telemetry";
}

/// <summary>
/// What an application that exports the SDK's telemetry sees: a client span per call whose W3C trace context
/// crosses gRPC, so one write is one trace of the client's, the server's and the storage's spans; and
/// <c>rpc.client.call.duration</c> by service, method and status code.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests
{
    private const string Service = "eventlog.v1.MessagesService";

    [Fact]
    public async Task OneWrite_IsOneTrace_OfTheClientTheServerAndTheStorageSpans()
    {
        var serverSpans = new SpanSink();
        var clientSpans = new SpanSink();
        await using var server = await EventLogHost.StartAsync(configureServices: services => services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(serverSpans)));
        using var tracer = Sdk.CreateTracerProviderBuilder().AddSource(EventLogClientTelemetry.ActivitySourceName).AddInMemoryExporter(clientSpans).Build();
        var client = server.Own(new EventLogClient(new EventLogClientOptions { Address = server.Address, Token = TestTokens.AgentA }));

        await client.Messages.CreateMessageAsync(NewMessage()).WithTimeout();

        var call = await clientSpans.SingleAsync(s => s.DisplayName == $"{Service}/CreateMessage");
        Assert.Equal(ActivityKind.Client, call.Kind);
        Assert.Equal(default, call.ParentSpanId);
        Assert.Equal(("grpc", Service, "CreateMessage", 0), (call.GetTagItem("rpc.system"), call.GetTagItem("rpc.service"), call.GetTagItem("rpc.method"), call.GetTagItem("rpc.grpc.status_code")));
        var handled = await serverSpans.SingleAsync(s => s.TraceId == call.TraceId && s.Kind == ActivityKind.Server);
        Assert.Equal(call.SpanId, handled.ParentSpanId);
        Assert.Equal($"{Service}/CreateMessage", handled.DisplayName);
        var write = await serverSpans.SingleAsync(s => s.TraceId == call.TraceId && s.Source.Name == EventLog.Storage.StorageTelemetry.ActivitySourceName);
        Assert.Equal(handled.SpanId, write.ParentSpanId);
        // The SDK sends no x-request-id: the server takes the trace id as the call's request id, so either finds the other.
        Assert.Equal(call.TraceId.ToHexString(), handled.GetTagItem("eventlog.request_id"));
    }

    [Fact]
    public async Task CallDurations_AreRecordedByMethodAndStatus_AndAFailedCallsSpanIsAnError()
    {
        await using var server = await EventLogHost.StartAsync();
        var spans = new SpanSink();
        using var tracer = Sdk.CreateTracerProviderBuilder().AddSource(EventLogClientTelemetry.ActivitySourceName).AddInMemoryExporter(spans).Build();
        var durations = new List<(double Seconds, Dictionary<string, object?> Tags)>();
        using var meter = Listen(durations);
        var client = server.Own(new EventLogClient(new EventLogClientOptions { Address = server.Address, Token = TestTokens.AgentA }));

        var clock = Stopwatch.StartNew();
        await client.Messages.CreateMessageAsync(NewMessage()).WithTimeout();
        var took = clock.Elapsed;
        await Assert.ThrowsAsync<EventLogException>(() => client.Messages.GetMessageAsync(Guid.NewGuid().ToString()).WithTimeout());

        var created = Assert.Single(Measurements(durations), m => Equals(m.Tags["rpc.method"], "CreateMessage"));
        Assert.Equal(("grpc", Service, 0), (created.Tags["rpc.system"], created.Tags["rpc.service"], created.Tags["rpc.grpc.status_code"]));
        Assert.InRange(created.Seconds, double.Epsilon, took.TotalSeconds);
        var missing = Assert.Single(Measurements(durations), m => Equals(m.Tags["rpc.method"], "GetMessage"));
        Assert.Equal((int)StatusCode.NotFound, missing.Tags["rpc.grpc.status_code"]);
        var failed = await spans.SingleAsync(s => s.DisplayName == $"{Service}/GetMessage");
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal((int)StatusCode.NotFound, failed.GetTagItem("rpc.grpc.status_code"));
    }

    [Fact]
    public async Task StreamSpan_LastsUntilTheStreamEnds_AndCarriesHowItEnded()
    {
        await using var server = await SdkHost.StartAsync();
        var spans = new SpanSink();
        using var tracer = Sdk.CreateTracerProviderBuilder().AddSource(EventLogClientTelemetry.ActivitySourceName).AddInMemoryExporter(spans).Build();
        var client = server.CreateClient(TestTokens.ReaderA);
        var watches = new MessagesService.MessagesServiceClient(client.CallInvoker);

        using (var watch = watches.WatchMessages(new WatchMessagesRequest { AfterSequence = 100 }, deadline: DateTime.UtcNow.AddSeconds(3)))
        {
            // The first heartbeat comes after a second: the stream is open, and so is its span.
            Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None).WithTimeout());
            Assert.Empty(spans.Spans);
            var ended = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                while (await watch.ResponseStream.MoveNext(CancellationToken.None).WithTimeout())
                {
                }
            });
            Assert.Equal(StatusCode.DeadlineExceeded, ended.StatusCode);
        }

        var span = await spans.SingleAsync(s => s.DisplayName == $"{Service}/WatchMessages");
        Assert.Equal((int)StatusCode.DeadlineExceeded, span.GetTagItem("rpc.grpc.status_code"));
        Assert.True(span.Duration >= TimeSpan.FromSeconds(2.5), $"the span lasted {span.Duration}, the stream 3 s");
        using (var abandoned = watches.WatchMessages(new WatchMessagesRequest { AfterSequence = 100 }))
        {
            await abandoned.ResponseHeadersAsync.WithTimeout();
        }
        var cancelled = await spans.SingleAsync(s => s.DisplayName == $"{Service}/WatchMessages" && s != span);
        Assert.Equal((int)StatusCode.Cancelled, cancelled.GetTagItem("rpc.grpc.status_code"));
    }

    private static CreateMessageRequest NewMessage() => new()
    {
        RequestId = "telemetry-" + Guid.NewGuid().ToString("N"), ActionCode = "001", DetailCode = "001", Level = MessageLevel.Error,
        ResourceType = "volume", ResourceUuid = Guid.NewGuid().ToString(),
    };

    /// <summary>Records rpc.client.call.duration as an application's meter listener would.</summary>
    private static MeterListener Listen(List<(double Seconds, Dictionary<string, object?> Tags)> durations)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == EventLogClientTelemetry.MeterName && instrument.Name == "rpc.client.call.duration")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (var (key, tag) in tags)
            {
                copy[key] = tag;
            }
            lock (durations)
            {
                durations.Add((value, copy));
            }
        });
        listener.Start();
        return listener;
    }

    private static List<(double Seconds, Dictionary<string, object?> Tags)> Measurements(List<(double Seconds, Dictionary<string, object?> Tags)> durations)
    {
        lock (durations)
        {
            return [.. durations];
        }
    }
}
