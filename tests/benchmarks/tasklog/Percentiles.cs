namespace EventLog.Benchmarks.TaskLog;

/// <summary>Latency samples in milliseconds and their percentiles (nearest rank).</summary>
internal sealed class Percentiles
{
    private readonly List<double> _samples = [];
    private readonly Lock _gate = new();

    public int Count => _samples.Count;

    public void Add(double milliseconds)
    {
        lock (_gate)
        {
            _samples.Add(milliseconds);
        }
    }

    public double Get(double percentile)
    {
        lock (_gate)
        {
            if (_samples.Count == 0)
            {
                return double.NaN;
            }

            var sorted = _samples.Order().ToArray();
            var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
        }
    }

    public string Summary() => $"p50 {Get(50):F2} ms, p99 {Get(99):F2} ms, max {Get(100):F2} ms (n={Count})";
}
