using System.Diagnostics;

namespace EventLog.Server.Infrastructure;

/// <summary>
/// Spaces the reads of a follower (a watch or a followed tail) at least <c>linger</c> apart while its stream
/// is busy. A follower woken again soon after its last read waits out the rest of the interval and then takes
/// every row committed meanwhile in one read and one flush, instead of one read, one write and one flush per
/// commit; a follower of a quiet stream reads at once. The price is at most <c>linger</c> of added delivery
/// latency, and only on streams that change more often than once per interval.
/// </summary>
public sealed class FollowPacer(TimeSpan linger)
{
    private long _lastRead;

    /// <summary>Waits, if the previous read was less than the linger ago, then counts this read.</summary>
    public async ValueTask BeforeReadAsync(CancellationToken cancellationToken)
    {
        if (linger > TimeSpan.Zero && _lastRead != 0)
        {
            var due = linger - Stopwatch.GetElapsedTime(_lastRead);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }
        }

        _lastRead = Stopwatch.GetTimestamp();
    }
}
