using System.Diagnostics;
using System.Globalization;
using EventLog.Tests.Shared;
using EventLog.V1;
using GuestLogsBenchmark;

// Guest logs and provisioning benchmark (issue 5). Prints: tail of the last 100 lines of a 1 GiB log against a
// 10 MiB one (latency p50/p99 and their ratio), publish MB/s, and WatchProgress delivery p50/p99 with 1,000
// watchers of one cluster. Run with tests/benchmarks/guestlogs/run.sh; knobs: --big-mib N (size of the big log,
// default 1024; 0 skips it), --small-mib N (default 10), --watchers N (default 1000), --events N (default 100),
// --spacing-ms N (default 50), --tail-rounds N (default 50).
var options = ParseArgs(args);
var bigMiB = options.GetValueOrDefault("big-mib", 1024);
var smallMiB = options.GetValueOrDefault("small-mib", 10);
var watchers = options.GetValueOrDefault("watchers", 1000);
var events = options.GetValueOrDefault("events", 100);
var spacing = TimeSpan.FromMilliseconds(options.GetValueOrDefault("spacing-ms", 50));
var tailRounds = options.GetValueOrDefault("tail-rounds", 50);
var total = Stopwatch.StartNew();

// The shared in-process host (production auth with the test tokens; channels carry the admin's), with the
// benchmark's settings: a long heartbeat so idle watchers cost nothing, no per-principal stream limit (one token
// opens every watcher), many streams per connection, and only warnings logged.
await using var server = await EventLogHost.StartAsync(
    [
        new("Logging:LogLevel:Default", "Warning"),
        new("Provisioning:HeartbeatInterval", "00:01:00"),
        new("Limits:MaxConcurrentStreamsPerPrincipal", "0"),
    ],
    kestrel: k =>
    {
        k.Limits.Http2.MaxStreamsPerConnection = 1000;
        k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
    });
Console.WriteLine($"EventLog guest logs / provisioning benchmark on {server.Address} ({Environment.ProcessorCount} CPUs, SQLite)");
var logs = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel());
var bench = new PublishTailBench(logs);

await bench.PublishAsync("bench-warmup", 4L * 1024 * 1024);
await bench.TailAsync("bench-warmup", 5);
var smallRate = await bench.PublishAsync("bench-small", smallMiB * 1024L * 1024);
Console.WriteLine(Invariant($"publish {smallMiB} MiB: {smallRate:F1} MB/s"));
var smallTail = await bench.TailAsync("bench-small", tailRounds);
Console.WriteLine($"tail -100 of {smallMiB} MiB: {Stats.Summary(smallTail)}");

if (bigMiB > 0)
{
    var bigRate = await bench.PublishAsync("bench-big", bigMiB * 1024L * 1024);
    Console.WriteLine(Invariant($"publish {bigMiB} MiB: {bigRate:F1} MB/s"));
    var bigTail = await bench.TailAsync("bench-big", tailRounds);
    Console.WriteLine($"tail -100 of {bigMiB} MiB: {Stats.Summary(bigTail)}");
    Console.WriteLine(Invariant($"tail -100 ratio {bigMiB} MiB / {smallMiB} MiB: p50 {Stats.Percentile(bigTail, 50) / Stats.Percentile(smallTail, 50):F2}, p99 {Stats.Percentile(bigTail, 99) / Stats.Percentile(smallTail, 99):F2}  [goal ≈ 1: tail cost independent of log size]"));
}

var channels = Enumerable.Range(0, Math.Max(1, watchers / 100)).Select(_ => server.CreateChannel()).ToList();
var writer = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel());
var (fromAck, fromWrite) = await new WatchBench(writer, channels).RunAsync(watchers, events, spacing);
Console.WriteLine($"watch delivery, {watchers} watchers of one cluster x {events} events ({spacing.TotalMilliseconds} ms apart):");
Console.WriteLine($"  commit → watcher (from the writer receiving the RecordEvents ack, a slight under-estimate): {Stats.Summary(fromAck)}");
Console.WriteLine($"  write → watcher (from the start of the RecordEvents call, an upper bound): {Stats.Summary(fromWrite)}");
Console.WriteLine(Invariant($"total time {total.Elapsed.TotalSeconds:F0} s"));
return 0;

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

static Dictionary<string, int> ParseArgs(string[] args)
{
    var parsed = new Dictionary<string, int>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        parsed[args[i].TrimStart('-')] = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    }

    return parsed;
}
