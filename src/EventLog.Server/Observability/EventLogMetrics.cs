using System.Diagnostics.Metrics;
using Grpc.Core;

namespace EventLog.Server.Observability;

/// <summary>
/// The server's instruments (meter <c>EventLog.Server</c>). Tags are bounded: the method name (a fixed set)
/// and the status code, never a principal or a resource id.
/// </summary>
public sealed class EventLogMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "EventLog.Server";

    private static readonly double[] DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    private readonly Counter<long> _calls;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _activeStreams;
    private readonly Counter<long> _limitRejections;
    private readonly Counter<long> _rowsReaped;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public EventLogMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _calls = meter.CreateCounter<long>("eventlog.rpc.server.calls", "{call}", "gRPC calls completed, by method and status code.");
        _errors = meter.CreateCounter<long>("eventlog.rpc.server.errors", "{call}", "gRPC calls that ended with a status other than OK, by method and status code.");
        _duration = meter.CreateHistogram("eventlog.rpc.server.duration", "s", "Duration of gRPC calls, by method.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _activeStreams = meter.CreateUpDownCounter<long>("eventlog.rpc.server.active_streams", "{stream}", "Streaming gRPC calls in progress, by method.");
        _limitRejections = meter.CreateCounter<long>("eventlog.limits.rejected", "{call}", "Calls rejected by a per-principal limit, by method and limit.");
        _rowsReaped = meter.CreateCounter<long>("eventlog.storage.rows_reaped", "{row}", "Rows deleted by the retention reapers, by reaper.");
    }

    /// <summary>Records a finished call.</summary>
    public void CallCompleted(string method, StatusCode code, TimeSpan duration)
    {
        var methodTag = new KeyValuePair<string, object?>("rpc.method", method);
        var codeTag = new KeyValuePair<string, object?>("rpc.grpc.status_code", StatusCodeNames.Get(code));
        _calls.Add(1, methodTag, codeTag);
        if (code != StatusCode.OK)
        {
            _errors.Add(1, methodTag, codeTag);
        }
        _duration.Record(duration.TotalSeconds, methodTag);
    }

    /// <summary>A streaming call started (+1) or ended (-1).</summary>
    public void StreamChanged(string method, int delta) => _activeStreams.Add(delta, new KeyValuePair<string, object?>("rpc.method", method));

    /// <summary>A call was rejected by a limit (<c>write_rate</c>, <c>concurrent_streams</c>).</summary>
    public void LimitRejected(string method, string limit) =>
        _limitRejections.Add(1, new KeyValuePair<string, object?>("rpc.method", method), new KeyValuePair<string, object?>("limit", limit));

    /// <summary>Rows a retention reaper deleted.</summary>
    public void RowsReaped(string reaper, long rows) => _rowsReaped.Add(rows, new KeyValuePair<string, object?>("reaper", reaper));
}
