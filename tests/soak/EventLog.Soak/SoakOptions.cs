using System.Globalization;

namespace EventLog.Soak;

/// <summary>The soak's knobs, from environment variables (run.sh documents them).</summary>
public sealed record SoakOptions
{
    public required string ServerAssembly { get; init; }
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(10);
    public int Followers { get; init; } = 200;
    public double WritesPerSecond { get; init; } = 100;
    public double ListsPerSecond { get; init; } = 20;
    public TimeSpan ReportEvery { get; init; } = TimeSpan.FromSeconds(15);
    public int Projects { get; init; } = 4;

    /// <summary>Warm-up excluded from the memory trend: a fifth of the run, at least 30 seconds.</summary>
    public TimeSpan WarmUp => TimeSpan.FromSeconds(Math.Max(30, Duration.TotalSeconds / 5));

    public static SoakOptions FromEnvironment(string serverAssembly) => new()
    {
        ServerAssembly = Path.GetFullPath(serverAssembly),
        Duration = TimeSpan.FromSeconds(Number("DURATION", 600)),
        Followers = (int)Number("FOLLOWERS", 200),
        WritesPerSecond = Number("WRITE_RATE", 100),
        ListsPerSecond = Number("LIST_RATE", 20),
        ReportEvery = TimeSpan.FromSeconds(Number("REPORT_EVERY", 15)),
    };

    private static double Number(string name, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
