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
bool[]? telemetry = options.Observability switch
{
    "off" => [false],
    "on" => [true],
    "both" => [false, true],
    _ => null,
};
if (telemetry is null)
{
    Console.Error.WriteLine($"OBSERVABILITY must be off, on or both, not '{options.Observability}'");
    return 2;
}
if (options.Compares && telemetry.Length > 1)
{
    Console.Error.WriteLine("COMPARE_SERVER and COMPARE_ENV need OBSERVABILITY on or off, not both");
    return 2;
}
if (options.Postgres is not null)
{
    return await ReplicaComparison.RunAsync(options, Observability(false, null));
}
Console.WriteLine($"mixed workload on SQLite: {options.Writers} writers (message, request entry, 5 log lines, provisioning event in turn), " +
    $"{options.ListsPerSecond}/s lists, {options.Followers} followers; {options.WarmUp.TotalSeconds:0} s warm-up each, then {options.Rounds} round(s) of " +
    $"{options.Duration.TotalSeconds:0} s windows, raw and end to end in turn; server metrics and traces {options.Observability}; {Environment.ProcessorCount} CPUs");

var root = Path.Combine(Path.GetTempPath(), "eventlog-e2e-bench-" + Guid.NewGuid().ToString("N"));
var servers = new List<(string Name, EndToEndRun Run)>();
OtlpSink? sink = null;
try
{
    sink = telemetry.Contains(true) ? await OtlpSink.StartAsync() : null;
    // Both systems start once and stay warm; their measured windows take turns, so drift of a shared machine
    // (it moved single runs by a third here) hits both sides of a round alike. The median round ratio counts.
    await using var raw = await RawStorageRun.StartAsync(options, Fresh(root, "raw"));
    foreach (var on in telemetry)
    {
        var name = on ? "telemetry on" : "telemetry off";
        servers.Add((name, await EndToEndRun.StartAsync(options, Fresh(root, on ? "e2e-on" : "e2e-off"), Observability(on, sink))));
    }
    if (options.Compares)
    {
        // The second server: another build, or this one with other settings (later settings win).
        var other = options with { ServerAssembly = options.CompareServer ?? options.ServerAssembly };
        servers.Add(("compared", await EndToEndRun.StartAsync(other, Fresh(root, "e2e-compared"), [.. Observability(telemetry[0], sink), .. options.CompareSettings])));
    }
    // Tiered JIT must settle in every process before anything counts (with 5 s it still took a sixth of the CPU).
    await raw.MeasureAsync(TimeSpan.Zero, options.WarmUp);
    long failedWrites = 0, failedLists = 0;
    foreach (var (_, run) in servers)
    {
        var warm = await run.MeasureAsync(TimeSpan.Zero, options.WarmUp);
        failedWrites += warm.Writes.FailedWrites;
        failedLists += warm.ListErrors;
    }
    var raws = new List<double>();
    var rates = servers.Select(_ => new List<double>()).ToArray();
    var ratios = servers.Select(_ => new List<double>()).ToArray();
    var serverCpu = servers.Select(_ => new List<double>()).ToArray();
    for (var round = 1; round <= options.Rounds; round++)
    {
        var rawWindow = await raw.MeasureAsync(options.Settle, options.Duration);
        Console.WriteLine($"round {round} raw storage (same writes, in-process, no gRPC):      {rawWindow}");
        raws.Add(rawWindow.WritesPerSecond);
        // With two servers their order turns each round: in a fixed order, two servers of one build differed by 1.05
        // (median of 5 rounds, the second ahead), enough to pass for a change's effect.
        foreach (var s in round % 2 == 1 ? Enumerable.Range(0, servers.Count) : Enumerable.Range(0, servers.Count).Reverse())
        {
            var (name, run) = servers[s];
            var delivered = run.Delivered;
            var window = await run.MeasureAsync(options.Settle, options.Duration);
            Console.WriteLine($"round {round} end to end, {name} (gRPC, server process, lists, followers): {window.Writes}");
            Console.WriteLine($"          alongside: {window.Lists:N0} lists, {run.Delivered - delivered:N0} stream messages delivered, {window.ListErrors} failed lists, list p99 {window.ListP99.TotalMilliseconds:0.0} ms; " +
                $"round ratio {window.Writes.WritesPerSecond / rawWindow.WritesPerSecond:0.00}");
            rates[s].Add(window.Writes.WritesPerSecond);
            ratios[s].Add(window.Writes.WritesPerSecond / rawWindow.WritesPerSecond);
            serverCpu[s].Add(window.Writes.ServerCpuMicrosPerWrite);
            failedWrites += window.Writes.FailedWrites;
            failedLists += window.ListErrors;
        }
        if (servers.Count == 2)
        {
            Console.WriteLine($"          round {round}: {servers[1].Name} / {servers[0].Name} {rates[1][^1] / rates[0][^1]:0.00}");
        }
    }
    Console.WriteLine($"raw {Statistics.Median(raws):N0} writes/s (median of the windows)");
    for (var s = 0; s < servers.Count; s++)
    {
        var ratio = Statistics.Median(ratios[s]);
        Console.WriteLine($"{servers[s].Name}: end to end {Statistics.Median(rates[s]):N0} successful writes/s, server CPU {Statistics.Median(serverCpu[s]):N0} us per write (medians of the windows); " +
            $"round ratios {string.Join(", ", ratios[s].Select(r => r.ToString("0.00")))}");
        Console.WriteLine($"{servers[s].Name}: ratio end-to-end / raw (successful writes, median round): {ratio:0.00} (goal >= 0.75: {(ratio >= 0.75 ? "met" : "NOT met")})");
    }
    if (servers.Count == 2)
    {
        var second = Statistics.Median(rates[1].Zip(rates[0], (other, first) => other / first));
        Console.WriteLine(options.Compares
            ? $"compared / {servers[0].Name} (successful writes, median of the round ratios): {second:0.00}"
            : $"telemetry on / off (successful writes, median of the round ratios): {second:0.00} (goal >= 0.90: {(second >= 0.9 ? "met" : "NOT met")})");
    }
    if (sink is not null)
    {
        Console.WriteLine($"OTLP sink: {sink.Exports:N0} exports, {sink.Bytes / 1e6:N1} MB");
    }
    Console.WriteLine($"errors: {failedWrites} failed writes (not counted in the rate), {failedLists} failed lists");
    return failedWrites + failedLists == 0 ? 0 : 1;
}
finally
{
    foreach (var (_, run) in servers)
    {
        await run.DisposeAsync();
    }
    if (sink is not null)
    {
        await sink.DisposeAsync();
    }
    try
    {
        Directory.Delete(root, recursive: true);
    }
    catch (IOException)
    {
    }
}

// Off: neither metrics nor spans. On: both, as a production server with a collector runs (sampling at its default).
static KeyValuePair<string, string?>[] Observability(bool on, OtlpSink? sink) => on
    ?
    [
        new("Observability__EnableMetrics", "true"),
        new("Observability__EnableTracing", "true"),
        new("Observability__OtlpEndpoint", sink!.Address.ToString()),
        new("Observability__OtlpProtocol", "HttpProtobuf"),
    ]
    :
    [
        new("Observability__EnableMetrics", "false"),
        new("Observability__EnableTracing", "false"),
    ];

static string Fresh(string root, string name)
{
    var directory = Path.Combine(root, name);
    Directory.CreateDirectory(directory);
    return directory;
}
