namespace EventLog.Storage.Internal;

/// <summary>
/// What a commit tells the waiters of a stream it touched: the stream's last sequence after it (0 for a touch only),
/// and when it was signalled (a <see cref="System.Diagnostics.Stopwatch"/> timestamp), which measures how late they woke.
/// </summary>
internal readonly record struct CommitSignal(long LastSequence, long SignalledAt);
