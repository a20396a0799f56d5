namespace GuestLogsBenchmark;

/// <summary>Percentiles of a sample, in milliseconds.</summary>
internal static class Stats
{
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public static string Summary(IReadOnlyList<double> ms) =>
        FormattableString.Invariant($"p50 {Percentile(ms, 50):F2} ms, p99 {Percentile(ms, 99):F2} ms, max {ms.Max():F2} ms (n={ms.Count})");
}
