namespace EventLog.Storage.Internal;

/// <summary>
/// In-process wake-up hub: a commit completes the signal of every stream it touched, with the stream's last
/// sequence after that commit (0 when the commit only touched it). Waiters re-read the position whenever the
/// signal does not show they moved, so a spurious wake-up is harmless; that is how signals of streams nobody
/// writes any more are pruned.
/// </summary>
internal sealed class CommitSignals
{
    private const int PruneThreshold = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, TaskCompletionSource<long>> _pending = new(StringComparer.Ordinal);

    /// <summary>A task that completes at the next commit touching <paramref name="streamKey"/>.</summary>
    public Task<long> Next(string streamKey)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue(streamKey, out var tcs))
            {
                if (_pending.Count >= PruneThreshold)
                {
                    foreach (var stale in _pending.Values)
                    {
                        stale.TrySetResult(0);
                    }

                    _pending.Clear();
                }

                tcs = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                _pending[streamKey] = tcs;
            }

            return tcs.Task;
        }
    }

    /// <summary>Wakes the waiters of the committed streams (key to last sequence, 0 for a touch only).</summary>
    public void Signal(IReadOnlyDictionary<string, long> streams)
    {
        List<(TaskCompletionSource<long> Signal, long LastSequence)>? wake = null;
        lock (_gate)
        {
            foreach (var (key, lastSequence) in streams)
            {
                if (_pending.Remove(key, out var tcs))
                {
                    (wake ??= []).Add((tcs, lastSequence));
                }
            }
        }

        wake?.ForEach(w => w.Signal.TrySetResult(w.LastSequence));
    }
}
