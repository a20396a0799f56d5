using System.Globalization;
using EventLog.Benchmarks.E2E;

// Usage: EventLog.Benchmarks.E2E <path to EventLog.Server.dll>   (tests/benchmarks/e2e/run.sh builds and passes it)
if (args.Length != 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: EventLog.Benchmarks.E2E <EventLog.Server.dll>");
    return 2;
}
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var options = BenchOptions.FromEnvironment(args[0]);
Console.WriteLine($"mixed workload on SQLite: {options.Writers} writers (message, request entry, 5 log lines, provisioning event in turn), " +
    $"{options.ListsPerSecond}/s lists, {options.Followers} followers; {options.WarmUp.TotalSeconds:0} s warm-up each, then {options.Rounds} round(s) of " +
    $"{options.Duration.TotalSeconds:0} s windows, raw and end to end in turn; {Environment.ProcessorCount} CPUs");

var root = Path.Combine(Path.GetTempPath(), "eventlog-e2e-bench-" + Guid.NewGuid().ToString("N"));
try
{
    // Both systems start once and stay warm; their measured windows take turns, so drift of a shared machine
    // (it moved single runs by a third here) hits both sides of a round alike. The median round ratio counts.
    await using var raw = await RawStorageRun.StartAsync(options, Fresh(root, "raw"));
    await using var e2e = await EndToEndRun.StartAsync(options, Fresh(root, "e2e"));
    // Tiered JIT must settle in both processes before anything counts (with 5 s it still took a sixth of the CPU).
    await raw.MeasureAsync(TimeSpan.Zero, options.WarmUp);
    var warm = await e2e.MeasureAsync(TimeSpan.Zero, options.WarmUp);
    long failedWrites = warm.Writes.FailedWrites, failedLists = warm.ListErrors;
    var raws = new List<double>();
    var e2es = new List<double>();
    var ratios = new List<double>();
    for (var round = 1; round <= options.Rounds; round++)
    {
        var rawWindow = await raw.MeasureAsync(options.Settle, options.Duration);
        Console.WriteLine($"round {round} raw storage (same writes, in-process, no gRPC):      {rawWindow}");
        var delivered = e2e.Delivered;
        var window = await e2e.MeasureAsync(options.Settle, options.Duration);
        Console.WriteLine($"round {round} end to end (gRPC, server process, lists, followers): {window.Writes}");
        Console.WriteLine($"          alongside: {window.Lists:N0} lists, {e2e.Delivered - delivered:N0} stream messages delivered, {window.ListErrors} failed lists; " +
            $"round ratio {window.Writes.WritesPerSecond / rawWindow.WritesPerSecond:0.00}");
        raws.Add(rawWindow.WritesPerSecond);
        e2es.Add(window.Writes.WritesPerSecond);
        ratios.Add(window.Writes.WritesPerSecond / rawWindow.WritesPerSecond);
        failedWrites += window.Writes.FailedWrites;
        failedLists += window.ListErrors;
    }
    var ratio = Median(ratios);
    Console.WriteLine($"raw {Median(raws):N0} writes/s, end to end {Median(e2es):N0} successful writes/s (medians of the windows)");
    Console.WriteLine($"errors: {failedWrites} failed writes (not counted in the rate), {failedLists} failed lists");
    Console.WriteLine($"round ratios {string.Join(", ", ratios.Select(r => r.ToString("0.00")))}");
    Console.WriteLine($"ratio end-to-end / raw (successful writes, median round): {ratio:0.00} (goal >= 0.70: {(ratio >= 0.7 ? "met" : "NOT met")})");
    return failedWrites + failedLists == 0 ? 0 : 1;
}
finally
{
    try
    {
        Directory.Delete(root, recursive: true);
    }
    catch (IOException)
    {
    }
}

static string Fresh(string root, string name)
{
    var directory = Path.Combine(root, name);
    Directory.CreateDirectory(directory);
    return directory;
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
