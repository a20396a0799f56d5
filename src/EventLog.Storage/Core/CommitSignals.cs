using System.Diagnostics;

namespace EventLog.Storage.Core;

/// <summary>
/// In-process wake-up hub: a commit completes the signal of every stream it touched, with the stream's last
/// sequence after that commit (0 when the commit only touched it). Waiters re-read the position whenever the
/// signal does not show they moved, so a spurious wake-up is harmless; that is how signals of streams nobody
/// writes any more are pruned.
/// </summary>
/// <remarks>
/// It also remembers the greatest sequence known to be committed per stream (by commits in this process, and
/// by positions read from the database), so a waiter that starts waiting needs no read to learn whether it is
/// already behind. Stream sequences only grow and stream keys are never reused, so the value is always a
/// lower bound of the stream's position. Commits of other processes are found by the waiters' polling, and on
/// PostgreSQL signalled here when their announcement arrives.
/// </remarks>
internal sealed class CommitSignals
{
    private const int PruneThreshold = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, TaskCompletionSource<CommitSignal>> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _latest = new(StringComparer.Ordinal);

    /// <summary>A task that completes at the next commit touching <paramref name="streamKey"/>.</summary>
    public Task<CommitSignal> Next(string streamKey) => Next(streamKey, out _);

    /// <summary>
    /// A task that completes at the next commit touching <paramref name="streamKey"/>, and the greatest
    /// sequence known committed to it before that commit (null when none is known here).
    /// </summary>
    public Task<CommitSignal> Next(string streamKey, out long? latestSequence)
    {
        lock (_gate)
        {
            latestSequence = _latest.TryGetValue(streamKey, out var latest) ? latest : null;
            if (!_pending.TryGetValue(streamKey, out var tcs))
            {
                if (_pending.Count >= PruneThreshold)
                {
                    // Unknown, not 0: a wait that knows no touch count takes a 0 for a touch and would report a
                    // change that did not happen; Unknown makes it read its stream's position instead.
                    var now = Stopwatch.GetTimestamp();
                    foreach (var stale in _pending.Values)
                    {
                        stale.TrySetResult(new CommitSignal(CommitSignal.Unknown, now));
                    }

                    _pending.Clear();
                }

                tcs = new TaskCompletionSource<CommitSignal>(TaskCreationOptions.RunContinuationsAsynchronously);
                _pending[streamKey] = tcs;
            }

            return tcs.Task;
        }
    }

    /// <summary>Records a stream position read from the database (committed, by this process or another).</summary>
    public void Observe(string streamKey, long lastSequence)
    {
        if (lastSequence <= 0)
        {
            return;
        }

        lock (_gate)
        {
            Raise(streamKey, lastSequence);
        }
    }

    /// <summary>
    /// Wakes the waiters of the committed streams (key to last sequence, 0 for a touch only); <paramref name="announced"/>
    /// when another process committed and announced them.
    /// </summary>
    public void Signal(IReadOnlyDictionary<string, long> streams, bool announced = false)
    {
        List<(TaskCompletionSource<CommitSignal> Signal, long LastSequence)>? wake = null;
        lock (_gate)
        {
            foreach (var (key, lastSequence) in streams)
            {
                if (lastSequence > 0)
                {
                    Raise(key, lastSequence);
                }

                if (_pending.Remove(key, out var tcs))
                {
                    (wake ??= []).Add((tcs, lastSequence));
                }
            }
        }

        if (wake is not null)
        {
            var now = Stopwatch.GetTimestamp();
            wake.ForEach(w => w.Signal.TrySetResult(new CommitSignal(w.LastSequence, now, announced)));
        }
    }

    /// <summary>
    /// Wakes every waiter with <see cref="CommitSignal.Unknown"/>, so each reads its stream's position: commits
    /// of other processes may have been missed (the connection that hears of them was lost).
    /// </summary>
    public void WakeAll()
    {
        List<TaskCompletionSource<CommitSignal>> wake;
        lock (_gate)
        {
            wake = [.. _pending.Values];
            _pending.Clear();
        }

        var now = Stopwatch.GetTimestamp();
        wake.ForEach(w => w.TrySetResult(new CommitSignal(CommitSignal.Unknown, now)));
    }

    // Signals of concurrent commits can arrive out of order: keep the greatest. Forgetting is always safe
    // (the next waiter reads the position instead), which bounds the record.
    private void Raise(string streamKey, long lastSequence)
    {
        if (_latest.TryGetValue(streamKey, out var known))
        {
            if (lastSequence > known)
            {
                _latest[streamKey] = lastSequence;
            }

            return;
        }

        if (_latest.Count >= PruneThreshold)
        {
            _latest.Clear();
        }

        _latest[streamKey] = lastSequence;
    }
}
