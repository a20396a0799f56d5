namespace EventLog.Server.Observability;

/// <summary>How an instrument's measurements combine.</summary>
internal enum MetricKind
{
    /// <summary>Measurements are increments of a monotonic total.</summary>
    Counter,
    /// <summary>Observed values are the monotonic total itself.</summary>
    ObservedCounter,
    /// <summary>Measurements are increments that may be negative.</summary>
    UpDownCounter,
    /// <summary>Observed or recorded values replace the previous one.</summary>
    Gauge,
    /// <summary>Measurements are distributed into buckets.</summary>
    Histogram,
}
