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
    $"{options.ListsPerSecond}/s lists, {options.Followers} followers; {options.WarmUp.TotalSeconds:0} s warm-up, {options.Duration.TotalSeconds:0} s measured, " +
    $"{options.Rounds} round(s); {Environment.ProcessorCount} CPUs");

var root = Path.Combine(Path.GetTempPath(), "eventlog-e2e-bench-" + Guid.NewGuid().ToString("N"));
try
{
    // Rounds alternate raw and end-to-end runs, so drift of a shared machine hits both; the median of each counts.
    var raws = new List<Measurement>();
    var e2es = new List<Measurement>();
    long failedWrites = 0, failedLists = 0;
    for (var round = 1; round <= options.Rounds; round++)
    {
        var raw = await RawStorageRun.RunAsync(options, Fresh(root, $"raw-{round}"));
        Console.WriteLine($"round {round} raw storage (same writes, in-process, no gRPC):      {raw}");
        var e2e = await EndToEndRun.RunAsync(options, Fresh(root, $"e2e-{round}"));
        Console.WriteLine($"round {round} end to end (gRPC, server process, lists, followers): {e2e.Writes}");
        Console.WriteLine($"          alongside: {e2e.Lists:N0} lists, {e2e.Delivered:N0} stream messages delivered, {e2e.ListErrors} failed lists");
        raws.Add(raw);
        e2es.Add(e2e.Writes);
        failedWrites += e2e.Writes.FailedWrites;
        failedLists += e2e.ListErrors;
    }
    var rawRate = Median(raws.Select(m => m.WritesPerSecond));
    var e2eRate = Median(e2es.Select(m => m.WritesPerSecond));
    var ratio = e2eRate / rawRate;
    Console.WriteLine($"raw {rawRate:N0} writes/s, end to end {e2eRate:N0} successful writes/s (medians)");
    Console.WriteLine($"errors: {failedWrites} failed writes (not counted in the rate), {failedLists} failed lists");
    Console.WriteLine($"ratio end-to-end / raw (successful writes): {ratio:0.00} (goal >= 0.70: {(ratio >= 0.7 ? "met" : "NOT met")})");
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
