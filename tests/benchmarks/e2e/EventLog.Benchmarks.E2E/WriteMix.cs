namespace EventLog.Benchmarks.E2E;

/// <summary>Runs writers flat out for a duration and counts the writes that succeeded after the warm-up, and every failed write.</summary>
public static class WriteMix
{
    /// <summary>The rotation: all four kinds, or those named in <c>MIX</c> (e.g. <c>MIX=Message,Lines</c>) to look at one alone.</summary>
    private static readonly WriteKind[] Rotation = ParseMix(Environment.GetEnvironmentVariable("MIX"));

    public static WriteKind KindOf(long i) => Rotation[i % Rotation.Length];

    private static WriteKind[] ParseMix(string? mix) => string.IsNullOrWhiteSpace(mix)
        ? Enum.GetValues<WriteKind>()
        : [.. mix.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(name => Enum.Parse<WriteKind>(name, ignoreCase: true))];

    /// <summary>
    /// Successful writes/s of <paramref name="writers"/> loops calling <paramref name="write"/>(i) for the next indexes
    /// of <paramref name="indexes"/> (true when the write was stored, false when it failed), the failed writes of the
    /// whole window (warm-up included), and the CPU time per successful write of this process and of
    /// <paramref name="others"/> (the server processes, if any, together) while measuring.
    /// </summary>
    public static async Task<Measurement> MeasureAsync(int writers, TimeSpan warmUp, TimeSpan duration, WriteIndexes indexes, Func<long, Task<bool>> write, IReadOnlyList<System.Diagnostics.Process>? others = null)
    {
        long counted = 0;
        long failed = 0;
        var measuring = false;
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (!await write(indexes.Next()))
                {
                    Interlocked.Increment(ref failed);
                }
                else if (Volatile.Read(ref measuring))
                {
                    Interlocked.Increment(ref counted);
                }
            }
        })).ToArray();
        await Task.Delay(warmUp);
        Volatile.Write(ref measuring, true);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ownCpu = Cpu(System.Diagnostics.Process.GetCurrentProcess());
        var otherCpu = Cpu(others);
        await Task.Delay(duration);
        var done = Interlocked.Read(ref counted);
        var elapsed = clock.Elapsed;
        ownCpu = Cpu(System.Diagnostics.Process.GetCurrentProcess()) - ownCpu;
        otherCpu = Cpu(others) - otherCpu;
        await stop.CancelAsync();
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(60));
        return new Measurement(done / elapsed.TotalSeconds, Interlocked.Read(ref failed), ownCpu.TotalMilliseconds * 1000 / Math.Max(1, done), otherCpu.TotalMilliseconds * 1000 / Math.Max(1, done));
    }

    private static TimeSpan Cpu(IReadOnlyList<System.Diagnostics.Process>? processes) =>
        processes is null ? TimeSpan.Zero : processes.Aggregate(TimeSpan.Zero, (sum, p) => sum + Cpu(p));

    private static TimeSpan Cpu(System.Diagnostics.Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }
}

/// <summary>
/// Write indexes of one system, counting on across its measurement windows: each index names one write
/// (its request id and idempotency key), so a later window never replays an earlier one's writes.
/// </summary>
public sealed class WriteIndexes
{
    private long _last = -1;

    public long Next() => Interlocked.Increment(ref _last);
}
