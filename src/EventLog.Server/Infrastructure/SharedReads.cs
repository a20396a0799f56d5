using System.Collections.Concurrent;
using System.Diagnostics;

namespace EventLog.Server.Infrastructure;

/// <summary>
/// Lets the followers of one stream share their reads. Followers woken by the same commit (and paced alike, see
/// <see cref="FollowPacer"/>) ask for the same rows: those after the same position. The first one reads; the
/// others take its rows when that read began once every row they know committed was visible, that is when the
/// position the reader knew committed was at least theirs. Anything else reads anew, so a follower never gets
/// less than its own read would have found.
/// </summary>
/// <typeparam name="T">A stream row.</typeparam>
public sealed class SharedReads<T>
{
    // One remembered read per stream, for so many streams at most: what is held stays bounded (a read returns one
    // batch), and forgetting is always safe (sharing only saves reads).
    private const int MaxStreams = 256;

    // A read shared longer than this could hand out rows deleted since; fresh reads are cheap to make then.
    private static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<string, Read> _latest = new(StringComparer.Ordinal);

    /// <summary>
    /// The rows of <paramref name="streamKey"/> after <paramref name="after"/>, read by <paramref name="read"/> or
    /// shared with a follower that read them already. <paramref name="known"/> is the stream position the caller
    /// knows committed; the rows returned include every row up to it.
    /// </summary>
    public Task<IReadOnlyList<T>> ReadAsync(string streamKey, long after, long known, Func<Task<IReadOnlyList<T>>> read)
    {
        if (_latest.TryGetValue(streamKey, out var recent)
            && recent.After == after
            && recent.Known >= known
            && !recent.Rows.IsFaulted
            && !recent.Rows.IsCanceled
            && Stopwatch.GetElapsedTime(recent.StartedAt) < MaxAge)
        {
            return recent.Rows;
        }

        if (_latest.Count >= MaxStreams)
        {
            Prune();
        }

        var rows = read();
        _latest[streamKey] = new Read(after, known, rows, Stopwatch.GetTimestamp());
        return rows;
    }

    private void Prune()
    {
        foreach (var (key, read) in _latest)
        {
            if (Stopwatch.GetElapsedTime(read.StartedAt) >= MaxAge)
            {
                _latest.TryRemove(key, out _);
            }
        }

        if (_latest.Count >= MaxStreams)
        {
            _latest.Clear();
        }
    }

    private sealed record Read(long After, long Known, Task<IReadOnlyList<T>> Rows, long StartedAt);
}
