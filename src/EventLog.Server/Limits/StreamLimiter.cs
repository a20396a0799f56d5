using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace EventLog.Server.Limits;

/// <summary>Counts the streaming calls each principal has open.</summary>
public sealed class StreamLimiter(IOptions<LimitsOptions> options)
{
    private readonly ConcurrentDictionary<string, StrongBox<int>> _open = new(StringComparer.Ordinal);
    private readonly int _max = options.Value.MaxConcurrentStreamsPerPrincipal;

    /// <summary>The per-principal maximum; 0 means no limit.</summary>
    public int Max => _max;

    /// <summary>Takes a slot; false when the principal already has <see cref="Max"/> streams open.</summary>
    public bool TryEnter(string principal)
    {
        var count = _open.GetOrAdd(principal, static _ => new StrongBox<int>());
        if (Interlocked.Increment(ref count.Value) <= _max || _max == 0)
        {
            return true;
        }
        Interlocked.Decrement(ref count.Value);
        return false;
    }

    /// <summary>Gives a slot back when the stream ends.</summary>
    public void Exit(string principal)
    {
        if (_open.TryGetValue(principal, out var count))
        {
            Interlocked.Decrement(ref count.Value);
        }
    }

    /// <summary>Open streams of a principal (for tests and diagnostics).</summary>
    public int OpenStreams(string principal) => _open.TryGetValue(principal, out var count) ? Volatile.Read(ref count.Value) : 0;
}
