using System.Diagnostics;

namespace EventLog.Server.Infrastructure;

/// <summary>
/// Spaces the reads of a follower (a watch or a followed tail) at least <c>linger</c> apart while its stream
/// is busy. Before waiting for its stream, a follower that read less than <c>linger</c> ago waits out the rest of
/// the interval; whatever was committed meanwhile is then found without waiting for a signal, and taken in one
/// read and one flush instead of one read, one write and one flush per commit. A follower of a quiet stream reads
/// at once. The price is at most <c>linger</c> of added delivery latency, and only on streams that change more
/// often than once per interval.
/// </summary>
/// <remarks>
/// Pacing before the wait rather than after it saves a busy follower a wake-up per read: its wait finds the
/// stream already moved and returns at once, so the timer of the pause is the only one it sets.
/// </remarks>
public sealed class FollowPacer(TimeSpan linger)
{
    private long _lastRead;

    /// <summary>Counts a read made now.</summary>
    public void Read() => _lastRead = Stopwatch.GetTimestamp();

    /// <summary>Waits until <c>linger</c> has passed since the last read; at once when it has or none was made.</summary>
    public ValueTask PaceAsync(CancellationToken cancellationToken)
    {
        if (linger <= TimeSpan.Zero || _lastRead == 0)
        {
            return ValueTask.CompletedTask;
        }

        var due = linger - Stopwatch.GetElapsedTime(_lastRead);
        return due > TimeSpan.Zero ? new ValueTask(Task.Delay(due, cancellationToken)) : ValueTask.CompletedTask;
    }
}
