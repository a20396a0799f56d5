namespace EventLog.Server.Observability;

/// <summary>Logging and metrics settings (configuration section <c>Observability</c>).</summary>
public sealed class ObservabilityOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Observability";

    /// <summary>
    /// Where a separate HTTP listener (HTTP/1.1 and HTTP/2) serves Prometheus metrics, e.g.
    /// <c>http://127.0.0.1:9464</c>; port 0 picks a free port. Null (default): no metrics listener.
    /// The gRPC endpoints stay HTTP/2-only and never serve metrics.
    /// </summary>
    public string? MetricsUrl { get; set; }

    /// <summary>The path metrics are served on. Default <c>/metrics</c>.</summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>
    /// Names of the <see cref="System.Diagnostics.Metrics.Meter"/>s exported. Default: <c>EventLog.Server</c>,
    /// <c>EventLog.Storage</c> and the runtime's <c>System.Runtime</c> (GC heap, working set, thread pool).
    /// </summary>
    public IList<string> Meters { get; } = new List<string>();

    /// <summary>The meters exported when <see cref="Meters"/> is empty.</summary>
    public static IReadOnlyList<string> DefaultMeters { get; } = [EventLogMetrics.MeterName, "EventLog.Storage", "System.Runtime"];
}
