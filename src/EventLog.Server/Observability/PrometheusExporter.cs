using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace EventLog.Server.Observability;

/// <summary>
/// Aggregates the measurements of the configured meters and renders them in the Prometheus text exposition
/// format (version 0.0.4): counters as <c>_total</c>, up-down counters and gauges as gauges, histograms with
/// cumulative <c>_bucket</c>s. Meters made by another host's <see cref="IMeterFactory"/> in the same process are ignored.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>The content type of <see cref="Render"/>'s output.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, MetricFamily> _families = new();
    private readonly HashSet<string> _meters;
    private readonly IMeterFactory _meterFactory;

    /// <summary>Starts listening to the meters named in <see cref="ObservabilityOptions.Meters"/>.</summary>
    public PrometheusExporter(IOptions<ObservabilityOptions> options, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        _meterFactory = meterFactory;
        IEnumerable<string> meters = options.Value.Meters.Count > 0 ? options.Value.Meters : ObservabilityOptions.DefaultMeters;
        _meters = new HashSet<string>(meters, StringComparer.Ordinal);
        _listener.InstrumentPublished = OnInstrumentPublished;
        _listener.MeasurementsCompleted = (instrument, _) => _families.TryRemove(instrument, out var _);
        _listener.SetMeasurementEventCallback<byte>((i, v, t, s) => ((MetricFamily)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<short>((i, v, t, s) => ((MetricFamily)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, s) => ((MetricFamily)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<long>((i, v, t, s) => ((MetricFamily)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<float>((i, v, t, s) => ((MetricFamily)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, s) => ((MetricFamily)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<decimal>((i, v, t, s) => ((MetricFamily)s!).Record((double)v, t));
        _listener.Start();
    }

    /// <summary>Collects the observable instruments and renders every metric family.</summary>
    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder(16 * 1024);
        foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            family.Render(text);
        }
        return text.ToString();
    }

    /// <inheritdoc/>
    public void Dispose() => _listener.Dispose();

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        var meter = instrument.Meter;
        if (!_meters.Contains(meter.Name) || (meter.Scope is not null && !ReferenceEquals(meter.Scope, _meterFactory)))
        {
            return;
        }
        if (MetricFamily.Create(instrument) is { } family)
        {
            _families[instrument] = family;
            listener.EnableMeasurementEvents(instrument, family);
        }
    }

    internal static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
