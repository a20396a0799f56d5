using System.Text;

namespace EventLog.Server.Observability;

/// <summary>The aggregated value of one tag set of an instrument.</summary>
internal sealed class MetricSeries(int bucketCount)
{
    private readonly Lock _lock = new();
    private readonly long[] _bucketCounts = new long[bucketCount];
    private double _value;
    private double _sum;
    private long _count;

    public double Value
    {
        get
        {
            lock (_lock)
            {
                return _value;
            }
        }
    }

    public void Record(MetricKind kind, double value, double[] buckets)
    {
        lock (_lock)
        {
            switch (kind)
            {
                case MetricKind.Counter or MetricKind.UpDownCounter:
                    _value += value;
                    break;
                case MetricKind.Histogram:
                    var index = Array.BinarySearch(buckets, value);
                    // Buckets are upper bounds (le): a value equal to a bound belongs to that bucket.
                    index = index >= 0 ? index : ~index;
                    if (index < _bucketCounts.Length)
                    {
                        _bucketCounts[index]++;
                    }
                    _sum += value;
                    _count++;
                    break;
                default:
                    _value = value;
                    break;
            }
        }
    }

    public void RenderHistogram(StringBuilder text, string name, string labels, double[] buckets)
    {
        long[] counts;
        double sum;
        long count;
        lock (_lock)
        {
            counts = (long[])_bucketCounts.Clone();
            sum = _sum;
            count = _count;
        }
        var prefix = labels.Length == 0 ? "" : labels + ",";
        long cumulative = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            cumulative += counts[i];
            text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"").Append(PrometheusExporter.FormatValue(buckets[i])).Append("\"} ").Append(cumulative).Append('\n');
        }
        text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"+Inf\"} ").Append(count).Append('\n');
        var braces = labels.Length == 0 ? "" : "{" + labels + "}";
        text.Append(name).Append("_sum").Append(braces).Append(' ').Append(PrometheusExporter.FormatValue(sum)).Append('\n');
        text.Append(name).Append("_count").Append(braces).Append(' ').Append(count).Append('\n');
    }
}
