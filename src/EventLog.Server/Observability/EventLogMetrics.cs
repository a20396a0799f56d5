using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EventLog.Server.Observability;

/// <summary>
/// The server's instruments (meter <c>EventLog.Server</c>), named by OpenTelemetry's RPC conventions where they
/// define one. Tags are bounded: service, method, status code and limit, never a principal or a resource id.
/// </summary>
public sealed class EventLogMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "EventLog.Server";

    private static readonly double[] DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    // rpc.grpc.status_code is the numeric code; boxed once here instead of once per call.
    private static readonly object[] StatusCodes = [.. Enumerable.Range(0, 17).Select(code => (object)code)];

    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _activeStreams;
    private readonly Counter<long> _limitRejections;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public EventLogMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _duration = meter.CreateHistogram("rpc.server.call.duration", "s",
            "Duration of the gRPC calls the server handled (a stream's whole life), by service, method and status code.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _activeStreams = meter.CreateUpDownCounter<long>("eventlog.rpc.server.active_streams", "{stream}", "Streaming gRPC calls in progress, by service and method.");
        _limitRejections = meter.CreateCounter<long>("eventlog.limits.rejected", "{call}", "Calls rejected by a per-principal limit, by service, method and limit.");
    }

    /// <summary>Records a finished call.</summary>
    public void CallCompleted(RpcMethod method, StatusCode code, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (_duration.Enabled)
        {
            var status = new KeyValuePair<string, object?>("rpc.grpc.status_code", (int)code is var i && i >= 0 && i < StatusCodes.Length ? StatusCodes[i] : i);
            // A TagList holds up to eight tags inline: no array per call.
            _duration.Record(duration.TotalSeconds, new TagList { RpcMethod.SystemTag, method.ServiceTag, method.MethodTag, status });
        }
    }

    /// <summary>A streaming call started (+1) or ended (-1).</summary>
    public void StreamChanged(RpcMethod method, int delta)
    {
        ArgumentNullException.ThrowIfNull(method);
        _activeStreams.Add(delta, RpcMethod.SystemTag, method.ServiceTag, method.MethodTag);
    }

    /// <summary>A call was rejected by a limit (<c>write_rate</c>, <c>concurrent_streams</c>).</summary>
    public void LimitRejected(string method, string limit)
    {
        var names = RpcMethod.Of(method);
        _limitRejections.Add(1, new TagList { RpcMethod.SystemTag, names.ServiceTag, names.MethodTag, new KeyValuePair<string, object?>("eventlog.limit", limit) });
    }
}
