using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace EventLog.Storage.Core;

internal sealed class ChangeNotifier(StorageDatabase database, IOptions<StorageOptions> options) : IChangeNotifier
{
    private const string SelectLastSequence = "SELECT last_seq FROM streams WHERE stream_key = @key";

    private const string SelectPosition = "SELECT last_seq, touches FROM streams WHERE stream_key = @key";

    // While commits of other processes are announced (PostgreSQL's listener is connected) the poll is only a
    // safety net, so it runs this many times less often.
    private const int AnnouncedPollFactor = 30;

    private readonly TimeSpan _pollInterval = options.Value.ChangePollInterval;

    private TimeSpan PollInterval => database.HearsOtherCommits ? _pollInterval * AnnouncedPollFactor : _pollInterval;

    public async Task<long> GetLastSequenceAsync(string streamKey, CancellationToken cancellationToken = default)
    {
        var last = await database.ScalarAsync<long?>(SelectLastSequence, new { key = streamKey }, cancellationToken) ?? 0;
        database.Signals.Observe(streamKey, last);
        return last;
    }

    public async Task<StreamPosition> GetPositionAsync(string streamKey, CancellationToken cancellationToken = default)
    {
        var (lastSequence, touches) = await database.QuerySingleOrDefaultAsync<(long, long)>(SelectPosition, new { key = streamKey }, cancellationToken);
        database.Signals.Observe(streamKey, lastSequence);
        return new StreamPosition(lastSequence, touches);
    }

    public async Task<long> WaitForChangeAsync(string streamKey, long afterSequence, CancellationToken cancellationToken = default) =>
        (await WaitForChangeAsync(streamKey, afterSequence, Timeout.InfiniteTimeSpan, cancellationToken))!.Value;

    public async Task<long?> WaitForChangeAsync(string streamKey, long afterSequence, TimeSpan maxWait, CancellationToken cancellationToken = default) =>
        (await WaitForAnyChangeAsync([(streamKey, afterSequence)], maxWait, cancellationToken))[0];

    public async Task<StreamPosition?> WaitForChangeAsync(string streamKey, StreamPosition after, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var stream = new Waited(streamKey, after.LastSequence, after.Touches);
        return await WaitCoreAsync([stream], maxWait, cancellationToken) ? stream.Position : null;
    }

    public async Task<long?[]> WaitForAnyChangeAsync(IReadOnlyList<(string StreamKey, long AfterSequence)> streams, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        // The caller knows no touch count: the first position read is the baseline, touches after it wake the wait;
        // a wait that starts from this process's last known sequence has no baseline, and any touch wakes it.
        var waited = new Waited[streams.Count];
        for (var i = 0; i < waited.Length; i++)
        {
            waited[i] = new Waited(streams[i].StreamKey, streams[i].AfterSequence, touchBaseline: null);
        }

        await WaitCoreAsync(waited, maxWait, cancellationToken);
        return Array.ConvertAll(waited, stream => stream.HasMoved ? stream.Position.LastSequence : (long?)null);
    }

    /// <summary>True when a stream moved; false when <paramref name="maxWait"/> passed first.</summary>
    private async Task<bool> WaitCoreAsync(Waited[] streams, TimeSpan maxWait, CancellationToken ct)
    {
        var deadline = maxWait == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : DateTime.UtcNow + maxWait;
        var signals = new Task<CommitSignal>[streams.Length];
        var starting = true;
        var readPositions = true;
        var readAt = 0L;
        while (true)
        {
            var anyMoved = false;
            var previousRead = readAt;
            if (readPositions)
            {
                readAt = Stopwatch.GetTimestamp();
            }

            for (var i = 0; i < streams.Length; i++)
            {
                var stream = streams[i];
                if (readPositions)
                {
                    // Take the signal before learning the position so a commit in between is not missed. A
                    // sequence wait starts from what this process knows committed when it knows anything.
                    signals[i] = database.Signals.Next(stream.Key, out var latest);
                    if (!(starting && stream.StartFrom(latest)))
                    {
                        stream.Read(await GetPositionAsync(stream.Key, ct));
                    }
                }
                else if (signals[i].IsCompletedSuccessfully)
                {
                    // Woken by a commit in this process: its sequence tells whether the stream moved, no read needed.
                    var committed = signals[i].Result;
                    if (committed.LastSequence != CommitSignal.Unknown)
                    {
                        database.Metrics.WokenByCommit(committed.SignalledAt, committed.Announced);
                    }

                    signals[i] = database.Signals.Next(stream.Key);
                    if (!stream.Signalled(committed.LastSequence))
                    {
                        // A touch, or a signal that tells nothing new: read the position to be sure. A read after a
                        // lost notification connection may already include a touch whose own signal is still to
                        // come, so it does not become the touch baseline.
                        stream.Read(await GetPositionAsync(stream.Key, ct), startsBaseline: committed.LastSequence != CommitSignal.Unknown);
                    }
                }

                anyMoved |= stream.HasMoved;
            }

            if (anyMoved)
            {
                if (readPositions && !starting)
                {
                    database.Metrics.PollFoundChange(previousRead);
                }

                return true;
            }

            starting = false;
            var pollInterval = PollInterval;
            var remaining = deadline == DateTime.MaxValue ? pollInterval : deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }

            // A commit here, the poll interval (commits of other processes) or the deadline: whichever is first.
            // Waiting this way throws nothing and leaves no timer behind; watchers wake on every commit.
            Task woken = signals.Length == 1 ? signals[0] : Task.WhenAny(signals).Unwrap();
            await woken.WaitAsync(remaining < pollInterval ? remaining : pollInterval, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            ct.ThrowIfCancellationRequested();
            // After a poll interval with no signal, read the positions again: another process may have committed.
            readPositions = !Array.Exists(signals, s => s.IsCompleted);
            if (readPositions)
            {
                database.Metrics.WokenToPoll();
            }
        }
    }

    /// <summary>One stream of a wait: where the caller stands, and what the wait has learnt of the stream since.</summary>
    private sealed class Waited(string key, long afterSequence, long? touchBaseline)
    {
        // A sequence wait: its caller knows no touch count, so a touch committed in this process always wakes it.
        // Its first read may already count a touch whose signal is still to come; comparing with that read
        // alone would absorb the touch.
        private readonly bool _sequenceWait = touchBaseline is null;

        // Null for a sequence wait until its first read: it then knows no touch count to compare with.
        private long? _touchBaseline = touchBaseline;
        private long _lastSequence;
        private long _touches;

        public string Key => key;

        public bool HasMoved { get; private set; }

        public StreamPosition Position => new(_lastSequence, _touches);

        /// <summary>
        /// Starts a sequence wait from <paramref name="latest"/>, the greatest sequence this process knows
        /// committed, without a read. False when a read is needed: the wait compares touches, or nothing is known.
        /// </summary>
        public bool StartFrom(long? latest)
        {
            if (_touchBaseline is not null || latest is not { } sequence)
            {
                return false;
            }

            _lastSequence = sequence;
            HasMoved = sequence > afterSequence;
            return true;
        }

        /// <summary>A position read from the database.</summary>
        public void Read(StreamPosition position, bool startsBaseline = true)
        {
            // A read racing a commit's signal may return less than the signal already told.
            _lastSequence = Math.Max(_lastSequence, position.LastSequence);
            _touches = position.Touches;
            if (startsBaseline)
            {
                _touchBaseline ??= position.Touches;
            }

            HasMoved = _lastSequence > afterSequence || _touches > _touchBaseline;
        }

        /// <summary>
        /// A commit's signal with the stream's sequence after it (0 for a touch, <see cref="CommitSignal.Unknown"/>
        /// after a lost notification connection). False when it tells nothing certain and the position must be read.
        /// </summary>
        public bool Signalled(long committed)
        {
            if (committed == CommitSignal.Unknown)
            {
                return false;
            }

            if (committed > _lastSequence)
            {
                _lastSequence = committed;
                HasMoved = committed > afterSequence;
                return true;
            }

            // Not a new sequence: a touch (or a late or spurious signal). A wait that knows no touch count
            // cannot tell which, so it reports a change and the caller re-reads the stream.
            if (_touchBaseline is null || (committed == 0 && _sequenceWait))
            {
                HasMoved = true;
                return true;
            }

            return false;
        }
    }
}
