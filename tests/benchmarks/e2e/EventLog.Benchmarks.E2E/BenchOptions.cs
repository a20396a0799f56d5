using System.Globalization;

namespace EventLog.Benchmarks.E2E;

/// <summary>The benchmark's knobs, from environment variables (run.sh documents them).</summary>
public sealed record BenchOptions
{
    public required string ServerAssembly { get; init; }
    /// <summary>One measured window.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Writers run this long at the start of each window before it counts.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Long enough for tiered JIT to settle in the server process (with 5 s it still took a sixth of the CPU).</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(15);
    public int Writers { get; init; } = 16;
    public double ListsPerSecond { get; init; } = 50;
    public int Followers { get; init; } = 20;
    public int Rounds { get; init; } = 5;
    public int Projects { get; init; } = 4;
    /// <summary>
    /// The server's metrics and traces: <c>off</c> (both off), <c>on</c> (both on, sampling at its default, exported by
    /// OTLP to <see cref="OtlpSink"/>), or <c>both</c>: a server of each kind, their windows taking turns.
    /// </summary>
    public string Observability { get; init; } = "off";
    /// <summary>
    /// A PostgreSQL connection string of a role with CREATEDB (<c>POSTGRES</c>): when set, the benchmark compares one
    /// replica with three on PostgreSQL instead of the SQLite server with raw storage. Default: null.
    /// </summary>
    public string? Postgres { get; init; }
    /// <summary>
    /// Another build of the server (<c>COMPARE_SERVER</c>, its EventLog.Server.dll) or this build with other settings
    /// (<c>COMPARE_ENV</c>, <c>NAME=value;NAME=value</c>): when either is set, a second server runs the same way, its
    /// windows taking turns with the first one's, and the median of the round ratios second / first is printed.
    /// </summary>
    public string? CompareServer { get; init; }
    public IReadOnlyList<KeyValuePair<string, string?>> CompareSettings { get; init; } = [];
    public bool Compares => CompareServer is not null || CompareSettings.Count > 0;
    /// <summary>Messages timed from a commit on one replica to a watcher of another. Default: 3000.</summary>
    public int LatencyMessages { get; init; } = 3000;

    public static BenchOptions FromEnvironment(string serverAssembly) => new()
    {
        ServerAssembly = Path.GetFullPath(serverAssembly),
        Duration = TimeSpan.FromSeconds(Number("DURATION", 10)),
        WarmUp = TimeSpan.FromSeconds(Number("WARMUP", 15)),
        Writers = (int)Number("WRITERS", 16),
        ListsPerSecond = Number("LIST_RATE", 50),
        Followers = (int)Number("FOLLOWERS", 20),
        Rounds = Math.Max(1, (int)Number("ROUNDS", 5)),
        Postgres = Environment.GetEnvironmentVariable("POSTGRES") is { Length: > 0 } postgres ? postgres : null,
        LatencyMessages = (int)Number("LATENCY_MESSAGES", 3000),
        CompareServer = Environment.GetEnvironmentVariable("COMPARE_SERVER") is { Length: > 0 } other ? Path.GetFullPath(other) : null,
        CompareSettings = [.. (Environment.GetEnvironmentVariable("COMPARE_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2)).Select(pair => new KeyValuePair<string, string?>(pair[0], pair.Length > 1 ? pair[1] : ""))],
        Observability = Environment.GetEnvironmentVariable("OBSERVABILITY") is { Length: > 0 } mode ? mode.ToLowerInvariant() : "off",
    };

    private static double Number(string name, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : fallback;
}
