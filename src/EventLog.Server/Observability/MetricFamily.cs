using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace EventLog.Server.Observability;

/// <summary>One instrument's series (one per distinct tag set) and how it renders as Prometheus text.</summary>
internal sealed class MetricFamily
{
    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly ConcurrentDictionary<string, MetricSeries> _series = new(StringComparer.Ordinal);
    private readonly MetricKind _kind;
    private readonly string _help;
    private readonly double[] _buckets;

    private MetricFamily(string name, MetricKind kind, string help, double[] buckets)
    {
        Name = name;
        _kind = kind;
        _help = help;
        _buckets = buckets;
    }

    public string Name { get; }

    public static MetricFamily? Create(Instrument instrument)
    {
        var definition = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : null;
        MetricKind? kind = definition switch
        {
            _ when definition == typeof(Counter<>) => MetricKind.Counter,
            _ when definition == typeof(ObservableCounter<>) => MetricKind.ObservedCounter,
            _ when definition == typeof(UpDownCounter<>) => MetricKind.UpDownCounter,
            _ when definition == typeof(ObservableUpDownCounter<>) || definition == typeof(ObservableGauge<>) || definition == typeof(Gauge<>) => MetricKind.Gauge,
            _ when definition == typeof(Histogram<>) => MetricKind.Histogram,
            _ => null,
        };
        if (kind is null)
        {
            return null;
        }
        var name = PrometheusName(instrument.Name, instrument.Unit, kind.Value);
        var buckets = kind == MetricKind.Histogram ? BucketsOf(instrument) : [];
        return new MetricFamily(name, kind.Value, instrument.Description ?? instrument.Name, buckets);
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        var series = _series.GetOrAdd(labels, static (_, buckets) => new MetricSeries(buckets.Length), _buckets);
        series.Record(_kind, value, _buckets);
    }

    public void Render(StringBuilder text)
    {
        if (_series.IsEmpty)
        {
            return;
        }
        var type = _kind switch
        {
            MetricKind.Counter or MetricKind.ObservedCounter => "counter",
            MetricKind.Histogram => "histogram",
            _ => "gauge",
        };
        text.Append("# HELP ").Append(Name).Append(' ').Append(EscapeHelp(_help)).Append('\n');
        text.Append("# TYPE ").Append(Name).Append(' ').Append(type).Append('\n');
        foreach (var (labels, series) in _series.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (_kind == MetricKind.Histogram)
            {
                series.RenderHistogram(text, Name, labels, _buckets);
            }
            else
            {
                text.Append(Name).Append(labels.Length == 0 ? "" : "{" + labels + "}").Append(' ').Append(PrometheusExporter.FormatValue(series.Value)).Append('\n');
            }
        }
    }

    private static double[] BucketsOf(Instrument instrument)
    {
        var advice = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            _ => null,
        };
        return advice?.ToArray() ?? (instrument.Unit == "s" ? SecondsBuckets : DefaultBuckets);
    }

    /// <summary>OpenTelemetry-to-Prometheus naming: dots to underscores, the unit as a suffix, <c>_total</c> on counters.</summary>
    internal static string PrometheusName(string name, string? unit, MetricKind kind)
    {
        var result = new StringBuilder(Sanitize(name));
        var suffix = unit switch
        {
            null or "" => "",
            "1" => kind is MetricKind.Counter or MetricKind.ObservedCounter ? "" : "ratio",
            "s" => "seconds",
            "ms" => "milliseconds",
            "By" => "bytes",
            "%" => "percent",
            _ when unit.StartsWith('{') => "",
            _ => Sanitize(unit),
        };
        if (suffix.Length > 0 && !result.ToString().EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            result.Append('_').Append(suffix);
        }
        if (kind is MetricKind.Counter or MetricKind.ObservedCounter)
        {
            result.Append("_total");
        }
        return result.ToString();
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }
        var sorted = tags.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var text = new StringBuilder();
        foreach (var (key, value) in sorted)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }
            text.Append(Sanitize(key)).Append("=\"").Append(EscapeLabel(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")).Append('"');
        }
        return text.ToString();
    }

    private static string Sanitize(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || c == ':' ? c : '_');
        }
        if (text.Length > 0 && char.IsAsciiDigit(text[0]))
        {
            text.Insert(0, '_');
        }
        return text.ToString();
    }

    private static string EscapeLabel(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
