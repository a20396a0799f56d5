using OpenTelemetry.Exporter;

namespace EventLog.Server.Observability;

/// <summary>Metrics and traces settings (configuration section <c>Observability</c>); the per-call logs follow <c>Logging</c>.</summary>
public sealed class ObservabilityOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Observability";

    /// <summary>
    /// Whether the server collects the metrics of <see cref="Meters"/>, served on <see cref="MetricsPath"/> and pushed
    /// to <see cref="OtlpEndpoint"/>. Default true.
    /// </summary>
    public bool EnableMetrics { get; set; } = true;

    /// <summary>
    /// Where Prometheus scrapes the metrics, on the server's own listeners (the gRPC port answers it over h2c; an
    /// HTTP/1.1 listener serves scrapers that speak only HTTP/1.1). Default <c>/metrics</c>; empty: not served.
    /// </summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>
    /// Whether the server records spans: each call's server span (a child of the caller's when it sent a W3C
    /// <c>traceparent</c>) and a span per storage write. They are recorded only when they go somewhere: to
    /// <see cref="OtlpEndpoint"/>, or to an exporter the host adds. Default true.
    /// </summary>
    public bool EnableTracing { get; set; } = true;

    /// <summary>
    /// The share of new traces recorded, 0 to 1. A call whose caller sent a <c>traceparent</c> follows the caller's
    /// decision. Default 1: every trace.
    /// </summary>
    public double TraceSampleRatio { get; set; } = 1;

    /// <summary>
    /// The OpenTelemetry collector traces and metrics are pushed to by OTLP, e.g. <c>http://otel-collector:4317</c>.
    /// Default null: nothing is pushed.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>
    /// How <see cref="OtlpEndpoint"/> is spoken: <c>Grpc</c> (default, usually port 4317) or <c>HttpProtobuf</c> (usually
    /// port 4318; the signal's path, <c>/v1/traces</c> or <c>/v1/metrics</c>, is added to the endpoint).
    /// </summary>
    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;

    /// <summary>The <c>service.name</c> of the telemetry. Default <c>eventlog</c>.</summary>
    public string ServiceName { get; set; } = "eventlog";

    /// <summary>
    /// Names of the <see cref="System.Diagnostics.Metrics.Meter"/>s exported. Default: <c>EventLog.Server</c>,
    /// <c>EventLog.Storage</c> and the runtime's <c>System.Runtime</c> (GC heap, working set, thread pool).
    /// </summary>
    public IList<string> Meters { get; } = new List<string>();

    /// <summary>The meters exported when <see cref="Meters"/> is empty.</summary>
    public static IReadOnlyList<string> DefaultMeters { get; } = [EventLogMetrics.MeterName, Storage.StorageTelemetry.MeterName, "System.Runtime"];
}
