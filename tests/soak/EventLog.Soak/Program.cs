using System.Diagnostics;
using System.Globalization;
using EventLog.Soak;
using EventLog.Tests.Shared;
using EventLog.V1;

// Usage: EventLog.Soak <path to EventLog.Server.dll>   (tests/soak/run.sh builds and passes it)
if (args.Length != 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: EventLog.Soak <EventLog.Server.dll>");
    return 2;
}
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var options = SoakOptions.FromEnvironment(args[0]);
Console.WriteLine($"soak: {options.Duration.TotalMinutes:0.#} min, {options.WritesPerSecond}/s writes, {options.ListsPerSecond}/s lists, {options.Followers} followers, {options.Projects} projects");

// Production auth with an agent and a reader per project, default limits; the server's lines are echoed.
var tokens = TestTokens.PerProject("soak", options.Projects, p => $"soak-{p}");
await using var server = EventLogProcess.Start(
    ["--urls", $"http://127.0.0.1:{FreePort.Next()}"], tokens.Environment(), options.ServerAssembly, echo: line => Console.WriteLine("  [server] " + line));
await server.WaitUntilListeningAsync();
using var world = await SoakWorld.CreateAsync(server.Address, tokens, options.Projects);
var stats = new SoakStats();
var load = new Load(world, stats);
var followers = new Followers(world, stats);

using var stopFollowers = new CancellationTokenSource();
using var stopLoad = new CancellationTokenSource();
var following = followers.RunAsync(options.Followers, stopFollowers.Token);
var writing = Load.PacedAsync(options.WritesPerSecond, load.WriteAsync, stopLoad.Token);
var listing = Load.PacedAsync(options.ListsPerSecond, load.ListAsync, stopLoad.Token);

var samples = new List<(TimeSpan At, long Rss)>();
var clock = Stopwatch.StartNew();
Console.WriteLine("   time      RSS MB    writes     lists  delivered  reconnects  errors");
while (clock.Elapsed < options.Duration && !server.HasExited)
{
    await Task.Delay(options.ReportEvery < options.Duration - clock.Elapsed ? options.ReportEvery : options.Duration - clock.Elapsed);
    var rss = ResidentBytes(server.Id);
    samples.Add((clock.Elapsed, rss));
    Console.WriteLine($"{clock.Elapsed:mm\\:ss}  {rss / 1e6,10:0.0} {stats.Writes,9} {stats.Lists,9} {stats.Delivered,10} {stats.Reconnects,11} {stats.ErrorCount,7}");
}

// Stop the load; the message followers must catch up with every project's last message.
await stopLoad.CancelAsync();
await Task.WhenAll(writing, listing).WaitAsync(TimeSpan.FromSeconds(60));
foreach (var (project, positions) in followers.MessagePositions)
{
    var newest = await new MessagesService.MessagesServiceClient(world.Readers[project]).ListMessagesAsync(new ListMessagesRequest { PageSize = 1 }, deadline: SoakWorld.Deadline());
    var last = newest.Messages.Count == 0 ? 0 : newest.Messages[0].Sequence;
    var until = DateTime.UtcNow.AddSeconds(30);
    while (positions.Any(p => p() < last) && DateTime.UtcNow < until)
    {
        await Task.Delay(100);
    }
    var behind = positions.Count(p => p() < last);
    if (behind > 0)
    {
        stats.Error($"WatchMessages: {behind} followers of project {project} did not reach sequence {last}");
    }
}
await stopFollowers.CancelAsync();
await following.WaitAsync(TimeSpan.FromSeconds(60));

// Memory: the mean RSS of the last three samples against the first three after the warm-up.
var steady = samples.Where(s => s.At >= options.WarmUp).ToList();
var flat = true;
if (steady.Count >= 6)
{
    var first = steady.Take(3).Average(s => s.Rss);
    var final = steady.TakeLast(3).Average(s => s.Rss);
    var allowed = Math.Max(first * 0.10, 30e6);
    flat = final - first <= allowed;
    Console.WriteLine($"RSS after warm-up {first / 1e6:0.0} MB, at the end {final / 1e6:0.0} MB (growth {(final - first) / 1e6:+0.0;-0.0} MB, allowed {allowed / 1e6:0.0} MB): {(flat ? "flat" : "GROWING")}");
}
else
{
    Console.WriteLine("RSS: too few samples after the warm-up to judge the trend (run longer)");
}
Console.WriteLine($"writes {stats.Writes} ({stats.Writes / clock.Elapsed.TotalSeconds:0.0}/s), lists {stats.Lists}, follower deliveries {stats.Delivered}, reconnects {stats.Reconnects}");
Console.WriteLine($"errors {stats.ErrorCount}");
foreach (var (what, n) in stats.Errors.OrderByDescending(e => e.Value).Take(20))
{
    Console.WriteLine($"  {n,6} x {what}");
}
if (server.HasExited)
{
    Console.WriteLine("the server exited during the soak");
    return 1;
}
return stats.ErrorCount == 0 && flat ? 0 : 1;

// Resident set size of the server process in bytes, from /proc (VmRSS).
static long ResidentBytes(int pid)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
    }
    return 0;
}
