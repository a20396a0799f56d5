using Microsoft.Extensions.Options;

namespace EventLog.Storage.Internal;

internal sealed class ChangeNotifier(StorageDatabase database, IOptions<StorageOptions> options) : IChangeNotifier
{
    private const string SelectLastSequence = "SELECT last_seq FROM streams WHERE stream_key = @key";

    private const string SelectPosition = "SELECT last_seq, touches FROM streams WHERE stream_key = @key";

    private readonly TimeSpan _pollInterval = options.Value.ChangePollInterval;

    public async Task<long> GetLastSequenceAsync(string streamKey, CancellationToken cancellationToken = default) =>
        await database.ScalarAsync<long?>(SelectLastSequence, new { key = streamKey }, cancellationToken) ?? 0;

    public async Task<StreamPosition> GetPositionAsync(string streamKey, CancellationToken cancellationToken = default)
    {
        var (lastSequence, touches) = await database.QuerySingleOrDefaultAsync<(long, long)>(SelectPosition, new { key = streamKey }, cancellationToken);
        return new StreamPosition(lastSequence, touches);
    }

    public async Task<long> WaitForChangeAsync(string streamKey, long afterSequence, CancellationToken cancellationToken = default) =>
        (await WaitForChangeAsync(streamKey, afterSequence, Timeout.InfiniteTimeSpan, cancellationToken))!.Value;

    public async Task<long?> WaitForChangeAsync(string streamKey, long afterSequence, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var changed = await WaitForAnyChangeAsync([(streamKey, afterSequence)], maxWait, cancellationToken);
        return changed[0]?.LastSequence;
    }

    public async Task<StreamPosition?> WaitForChangeAsync(string streamKey, StreamPosition after, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var streams = new[] { new Waited(streamKey, p => p.LastSequence > after.LastSequence || p.Touches > after.Touches) };
        return (await WaitCoreAsync(streams, maxWait, cancellationToken))[0];
    }

    public Task<StreamPosition?[]> WaitForAnyChangeAsync(IReadOnlyList<(string StreamKey, long AfterSequence)> streams, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var waited = new Waited[streams.Count];
        for (var i = 0; i < waited.Length; i++)
        {
            // The caller knows no touch count, so the first read is the baseline: touches after it wake the wait.
            var (key, after) = streams[i];
            long? baseline = null;
            waited[i] = new Waited(key, p =>
            {
                baseline ??= p.Touches;
                return p.LastSequence > after || p.Touches > baseline;
            });
        }

        return WaitCoreAsync(waited, maxWait, cancellationToken);
    }

    private async Task<StreamPosition?[]> WaitCoreAsync(Waited[] streams, TimeSpan maxWait, CancellationToken ct)
    {
        var deadline = maxWait == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : DateTime.UtcNow + maxWait;
        var result = new StreamPosition?[streams.Length];
        var signals = new Task<long>[streams.Length];
        var known = new StreamPosition[streams.Length];
        var readPositions = true;
        while (true)
        {
            var anyMoved = false;
            for (var i = 0; i < streams.Length; i++)
            {
                if (readPositions)
                {
                    // Take the signal before reading the position so a commit in between is not missed.
                    signals[i] = database.Signals.Next(streams[i].Key);
                    known[i] = await GetPositionAsync(streams[i].Key, ct);
                }
                else if (signals[i].IsCompletedSuccessfully)
                {
                    // Woken by a commit in this process: its sequence tells whether the stream moved, no read needed.
                    var committed = signals[i].Result;
                    signals[i] = database.Signals.Next(streams[i].Key);
                    if (committed <= known[i].LastSequence)
                    {
                        // A touch, or a signal that tells nothing new: read the position to be sure.
                        known[i] = await GetPositionAsync(streams[i].Key, ct);
                    }
                    else
                    {
                        known[i] = known[i] with { LastSequence = committed };
                    }
                }

                if (streams[i].Moved(known[i]))
                {
                    result[i] = known[i];
                    anyMoved = true;
                }
            }

            if (anyMoved)
            {
                return result;
            }

            var remaining = deadline == DateTime.MaxValue ? _pollInterval : deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                return result;
            }

            // A commit here, the poll interval (commits of other processes) or the deadline: whichever is first.
            // Waiting this way throws nothing and leaves no timer behind; watchers wake on every commit.
            Task woken = signals.Length == 1 ? signals[0] : Task.WhenAny(signals).Unwrap();
            await woken.WaitAsync(remaining < _pollInterval ? remaining : _pollInterval, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            ct.ThrowIfCancellationRequested();
            // After a poll interval with no signal, read the positions again: another process may have committed.
            readPositions = !Array.Exists(signals, s => s.IsCompleted);
        }
    }

    private readonly record struct Waited(string Key, Func<StreamPosition, bool> Moved);
}
