namespace EventLog.Storage;

/// <summary>
/// Where a tail starts: read chunks after <see cref="StartAfterSequence"/> (with
/// <see cref="IGuestLogRepository.ReadChunksAsync"/>) and drop the first <see cref="SkipLines"/> lines of the
/// first chunk. Lines <see cref="FirstLine"/>..<see cref="LastLine"/> are stored (0, 0 when the log is empty);
/// to follow, keep reading after the last chunk's sequence.
/// </summary>
public sealed record GuestLogTail(long LogId, long StartAfterSequence, int SkipLines, long FirstLine, long LastLine)
{
    /// <summary>
    /// The log stream's position read before the plan: pass it to
    /// <see cref="IChangeNotifier.WaitForChangeAsync(string, StreamPosition, TimeSpan, CancellationToken)"/> so a
    /// discard or rotation committed after the plan wakes the follower.
    /// </summary>
    public StreamPosition Position { get; init; }
}
