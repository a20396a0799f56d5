namespace EventLog.Benchmarks.E2E;

/// <summary>The medians and percentiles the benchmark prints.</summary>
public static class Statistics
{
    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The <paramref name="fraction"/> quantile (nearest rank) of <paramref name="values"/>; zero when there are none.</summary>
    public static TimeSpan Percentile(IEnumerable<TimeSpan> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? TimeSpan.Zero : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
