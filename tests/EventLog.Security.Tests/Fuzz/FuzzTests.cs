using System.Collections.Concurrent;
using System.Diagnostics;
using EventLog.Security.Tests.Isolation;
using Grpc.Health.V1;

namespace EventLog.Security.Tests.Fuzz;

/// <summary>
/// Thousands of random and mutated protobuf payloads, frames and headers against every RPC. The run is bounded
/// (<c>EVENTLOG_FUZZ_COUNT</c>, default 4000) and reproducible (<c>EVENTLOG_FUZZ_SEED</c>; the seed used is printed).
/// The server must stay up, answer every request with a gRPC status, and keep its memory bounded.
/// </summary>
public sealed class FuzzTests(ProjectAFixture fixture, ITestOutputHelper output) : IClassFixture<ProjectAFixture>
{
    private static readonly int Concurrency = int.TryParse(Environment.GetEnvironmentVariable("EVENTLOG_FUZZ_CONCURRENCY"), out var n) && n > 0 ? n : 8;

    [Fact]
    public async Task RandomAndMutatedRequests_AllGetAGrpcStatus_ServerStaysUp_MemoryBounded()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("EVENTLOG_FUZZ_SEED"), out var s) ? s : Random.Shared.Next();
        var count = int.TryParse(Environment.GetEnvironmentVariable("EVENTLOG_FUZZ_COUNT"), out var c) ? c : 4000;
        output.WriteLine($"fuzz seed {seed} (set EVENTLOG_FUZZ_SEED={seed} to replay), {count} requests");
        var methods = RpcCatalog.Methods.Values.OrderBy(RpcCatalog.FullName, StringComparer.Ordinal).ToArray();
        var cases = new CaseSource(new Random(seed), methods, fixture.A);

        using var client = new RawGrpcClient(fixture.Server.Address);
        var statuses = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentQueue<string>();
        var unknowns = new ConcurrentQueue<string>();
        var warmup = Math.Min(300, count / 10);

        await RunAsync(client, cases, warmup, statuses, failures, unknowns);
        var baseline = Measure();
        var watch = Stopwatch.StartNew();
        var half = (count - warmup) / 2;
        await RunAsync(client, cases, half, statuses, failures, unknowns);
        var middle = Measure();
        await RunAsync(client, cases, count - warmup - half, statuses, failures, unknowns);
        var end = Measure();

        output.WriteLine($"{count} requests, {count - warmup} in {watch.Elapsed.TotalSeconds:0.0} s after a warm-up of {warmup}");
        foreach (var (key, n) in statuses.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {key}: {n}");
        }
        output.WriteLine($"managed heap {baseline.Heap / 1e6:0.0} -> {middle.Heap / 1e6:0.0} -> {end.Heap / 1e6:0.0} MB, working set {baseline.WorkingSet / 1e6:0.0} -> {middle.WorkingSet / 1e6:0.0} -> {end.WorkingSet / 1e6:0.0} MB (after warm-up, half-way, end)");
        output.WriteLine($"server log entries at Error: {fixture.Server.Logs.Entries.Count(e => e.Level >= LogLevel.Error)}");
        foreach (var line in unknowns.Take(20))
        {
            output.WriteLine("  UNKNOWN: " + line);
        }
        foreach (var entry in fixture.Server.Logs.Entries.Where(e => e.Level >= LogLevel.Error).Take(10))
        {
            output.WriteLine("  server error log: " + entry);
        }

        Assert.True(failures.IsEmpty, $"{failures.Count} replies without a gRPC status, e.g.:\n{string.Join("\n", failures.Take(10))}");
        await AssertServerServesAsync();
        // Bounded: the heap ends near where it started, and the second half of the run does not grow the process further.
        Assert.True(end.Heap - baseline.Heap < 64_000_000, $"managed heap grew by {(end.Heap - baseline.Heap) / 1e6:0.0} MB");
        Assert.True(end.WorkingSet - middle.WorkingSet < 200_000_000, $"working set grew by {(end.WorkingSet - middle.WorkingSet) / 1e6:0.0} MB in the second half");
        Assert.True(unknowns.IsEmpty, $"{unknowns.Count} handlers failed with UNKNOWN (an unhandled exception) on hostile input, e.g.:\n{string.Join("\n", unknowns.Take(10))}");
    }

    /// <summary>Makes cases one by one (under a lock, so a seed always yields the same sequence) instead of holding thousands of bodies in memory.</summary>
    private sealed class CaseSource(Random rng, IReadOnlyList<Google.Protobuf.Reflection.MethodDescriptor> methods, Target target)
    {
        private readonly ProtobufMutator _payloads = new(rng, target);
        private readonly FrameMutator _frames = new(rng);
        private readonly Lock _lock = new();
        private int _next;

        public FuzzCase Next()
        {
            lock (_lock)
            {
                // Round-robin over the RPCs so each gets its share; now and then an unknown path.
                var method = methods[_next++ % methods.Count];
                var path = rng.Next(100) == 0 ? "/eventlog.v1.NoSuchService/" + method.Name : RpcCatalog.FullName(method);
                var (payload, strategy) = _payloads.Next(method);
                var (body, framing, gzip) = _frames.Frame(payload);
                return new FuzzCase(path, body, _frames.Headers(gzip), _frames.ContentType(), $"{strategy}/{framing}");
            }
        }
    }

    private static async Task RunAsync(RawGrpcClient client, CaseSource cases, int count, ConcurrentDictionary<string, int> statuses, ConcurrentQueue<string> failures, ConcurrentQueue<string> unknowns)
    {
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (_, _) =>
        {
            var fuzz = cases.Next();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var started = Stopwatch.GetTimestamp();
            var reply = await client.SendAsync(fuzz.Path, fuzz.Body, fuzz.Headers, fuzz.ContentType, timeout.Token);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var deadline = fuzz.Headers.Where(h => h.Key == "grpc-timeout").Select(h => ParseGrpcTimeout(h.Value)).FirstOrDefault();
            var grpcContentType = fuzz.ContentType.StartsWith("application/grpc", StringComparison.Ordinal) && fuzz.ContentType != "application/grpc-web";
            // A gRPC request gets a gRPC status (HTTP 200); a request that is not gRPC gets an HTTP error (415, or 404 on an
            // unknown path). gRPC-Web is neither: grpc-dotnet answers it with a gRPC status on paths of no service, and
            // with an HTTP error elsewhere while the host does not serve gRPC-Web.
            var httpError = reply.HttpStatus is 404 or 415 && reply.Failure is null;
            var grpcStatus = reply.HasGrpcStatus && reply.HttpStatus == 200;
            // At a deadline the server sends its status and then resets the stream with CANCEL, as the gRPC protocol
            // says; an HTTP client still sending a large body reports only the reset. Cases with a 1 ms deadline hit it,
            // and a large body on a loaded machine can take the usual 2 s; a reset before the deadline is a failure.
            var cancelledAtDeadline = reply.Failure?.Contains("'CANCEL' (0x8)", StringComparison.Ordinal) == true
                && deadline is { } limit && elapsed >= limit;
            var ok = cancelledAtDeadline || (grpcContentType ? grpcStatus : httpError || (fuzz.ContentType == "application/grpc-web" && grpcStatus));
            statuses.AddOrUpdate(!ok ? "NO STATUS" : grpcContentType ? $"grpc-status {reply.GrpcStatus}" : $"http {reply.HttpStatus} (not gRPC)", 1, (_, n) => n + 1);
            if (!ok)
            {
                failures.Enqueue($"{fuzz.Path} [{fuzz.Strategy}, {fuzz.ContentType}, {fuzz.Body.Length} bytes, grpc-timeout {deadline?.TotalMilliseconds.ToString("0.###") ?? "none or invalid"} ms, " +
                    $"answered after {elapsed.TotalMilliseconds:0} ms]: http {reply.HttpStatus}, grpc-status {reply.GrpcStatus?.ToString() ?? "none"}, {reply.Failure}");
            }
            else if (reply.GrpcStatus == 2)
            {
                unknowns.Enqueue($"{fuzz.Path} [{fuzz.Strategy}]: {reply.GrpcMessage}");
            }
        }).WaitAsync(TimeSpan.FromMinutes(10));
    }

    /// <summary>A <c>grpc-timeout</c> value (1 to 8 digits and a unit, as the gRPC HTTP/2 protocol defines it); null when invalid.</summary>
    private static TimeSpan? ParseGrpcTimeout(string value)
    {
        if (value.Length is < 2 or > 9 || !long.TryParse(value.AsSpan(0, value.Length - 1), System.Globalization.NumberStyles.None, null, out var amount))
        {
            return null;
        }
        return value[^1] switch
        {
            'H' => TimeSpan.FromHours(amount),
            'M' => TimeSpan.FromMinutes(amount),
            'S' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMilliseconds(amount),
            'u' => TimeSpan.FromMicroseconds(amount),
            'n' => TimeSpan.FromTicks(amount / 100),
            _ => null,
        };
    }

    private async Task AssertServerServesAsync()
    {
        var health = new Health.HealthClient(fixture.Server.CreateChannel(TestTokens.Admin));
        var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: TestTimeouts.Deadline()).ResponseAsync.WithTimeout();
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
        var task = await new EventLog.V1.TaskLogService.TaskLogServiceClient(fixture.Server.CreateChannel(TestTokens.ReaderA))
            .GetTaskAsync(new EventLog.V1.GetTaskRequest { TaskId = fixture.A.TaskId }, deadline: TestTimeouts.Deadline()).ResponseAsync.WithTimeout();
        Assert.Equal(fixture.A.TaskId, task.Task.Id);
    }

    private static (long Heap, long WorkingSet) Measure()
    {
        // Aggressive: compacts (the large object heap too) and gives free memory back, so the working set means something.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64);
    }

    private sealed record FuzzCase(string Path, byte[] Body, List<KeyValuePair<string, string>> Headers, string ContentType, string Strategy);
}
