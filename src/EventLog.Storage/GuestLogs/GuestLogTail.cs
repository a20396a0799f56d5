namespace EventLog.Storage.GuestLogs;

/// <summary>
/// Where a tail starts: read chunks after <see cref="StartAfterSequence"/> (with
/// <see cref="IGuestLogRepository.ReadChunksAsync"/>) and drop the first <see cref="SkipLines"/> lines of the
/// first chunk. Lines <see cref="FirstLine"/>..<see cref="LastLine"/> are stored (0, 0 when the log is empty);
/// to follow, keep reading after the last chunk's sequence. A start below <see cref="FirstAvailableLine"/>
/// (the lines before it expired) starts there instead.
/// </summary>
public sealed record GuestLogTail(long LogId, long StartAfterSequence, int SkipLines, long FirstLine, long LastLine)
{
    /// <summary>
    /// The log stream's position read before the plan: pass it to
    /// <see cref="IChangeNotifier.WaitForChangeAsync(string, StreamPosition, TimeSpan, CancellationToken)"/> so a
    /// discard or rotation committed after the plan wakes the follower.
    /// </summary>
    public StreamPosition Position { get; init; }

    /// <summary>
    /// Where the readable log starts: the number of the first line stored when the tail was planned (greater
    /// than 1 when older lines expired), or the number the next published line gets when none is stored.
    /// </summary>
    public long FirstAvailableLine { get; init; } = 1;
}
