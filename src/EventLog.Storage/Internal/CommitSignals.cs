namespace EventLog.Storage.Internal;

/// <summary>
/// In-process wake-up hub: a commit completes the signal of every stream it touched. Waiters always
/// re-read the stream position after a wake-up, so a spurious wake-up is harmless; that is how signals
/// of streams nobody writes any more are pruned.
/// </summary>
internal sealed class CommitSignals
{
    private const int PruneThreshold = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, TaskCompletionSource> _pending = new(StringComparer.Ordinal);

    /// <summary>A task that completes at the next commit touching <paramref name="streamKey"/>.</summary>
    public Task Next(string streamKey)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue(streamKey, out var tcs))
            {
                if (_pending.Count >= PruneThreshold)
                {
                    foreach (var stale in _pending.Values)
                    {
                        stale.TrySetResult();
                    }

                    _pending.Clear();
                }

                tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _pending[streamKey] = tcs;
            }

            return tcs.Task;
        }
    }

    public void Signal(IEnumerable<string> streamKeys)
    {
        List<TaskCompletionSource>? wake = null;
        lock (_gate)
        {
            foreach (var key in streamKeys)
            {
                if (_pending.Remove(key, out var tcs))
                {
                    (wake ??= []).Add(tcs);
                }
            }
        }

        wake?.ForEach(t => t.TrySetResult());
    }
}
