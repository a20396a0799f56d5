using System.Collections.Concurrent;

namespace EventLog.Soak;

/// <summary>Counters shared by the load tasks.</summary>
public sealed class SoakStats
{
    private long _writes;
    private long _lists;
    private long _delivered;
    private long _reconnects;

    public ConcurrentDictionary<string, int> Errors { get; } = new(StringComparer.Ordinal);

    public long Writes => Interlocked.Read(ref _writes);

    public long Lists => Interlocked.Read(ref _lists);

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    public int ErrorCount => Errors.Values.Sum();

    public void Wrote() => Interlocked.Increment(ref _writes);

    public void Listed() => Interlocked.Increment(ref _lists);

    public void Received() => Interlocked.Increment(ref _delivered);

    public void Reconnected() => Interlocked.Increment(ref _reconnects);

    public void Error(string what) => Errors.AddOrUpdate(what, 1, (_, n) => n + 1);
}
