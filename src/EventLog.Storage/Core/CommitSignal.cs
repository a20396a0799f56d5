namespace EventLog.Storage.Core;

/// <summary>
/// What a commit tells the waiters of a stream it touched: the stream's last sequence after it (0 for a touch only,
/// <see cref="Unknown"/> when any stream may have changed), when it was signalled (a
/// <see cref="System.Diagnostics.Stopwatch"/> timestamp), which measures how late they woke, and whether another
/// process announced it (PostgreSQL's NOTIFY) rather than a commit of this one.
/// </summary>
internal readonly record struct CommitSignal(long LastSequence, long SignalledAt, bool Announced = false)
{
    /// <summary>The sequence of a wake-up that tells nothing about the stream: its waiters read the position.</summary>
    public const long Unknown = -1;
}
