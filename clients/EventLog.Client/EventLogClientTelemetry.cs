namespace EventLog.Client;

/// <summary>
/// The names under which the SDK reports its calls, for an application's OpenTelemetry set-up
/// (<c>AddSource(EventLogClientTelemetry.ActivitySourceName)</c>, <c>AddMeter(EventLogClientTelemetry.MeterName)</c>).
/// Each gRPC call the client makes, every retry included, is one client span and one <c>rpc.client.call.duration</c>
/// measurement; with neither a listener nor a meter listener the SDK spends nothing on them.
/// </summary>
public static class EventLogClientTelemetry
{
    /// <summary>
    /// The activity source of the client spans, named <c>service/method</c> with <c>rpc.system</c>, <c>rpc.service</c>,
    /// <c>rpc.method</c> and <c>rpc.grpc.status_code</c>. While a span is current its W3C <c>traceparent</c> goes with
    /// the call, so the server's spans join the caller's trace.
    /// </summary>
    public const string ActivitySourceName = "EventLog.Client";

    /// <summary>The meter of <c>rpc.client.call.duration</c> (seconds, by service, method and status code).</summary>
    public const string MeterName = "EventLog.Client";
}
