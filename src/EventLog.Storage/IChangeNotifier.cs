using EventLog.Storage.TaskLog;

namespace EventLog.Storage;

/// <summary>
/// Lets watchers wait for new rows of a stream. Commits in this process wake waiters at once; commits
/// by other processes are found by polling the stream position every <see cref="StorageOptions.ChangePollInterval"/>,
/// or on PostgreSQL wake waiters when their announcement (NOTIFY) arrives.
/// After a wake-up, read the rows with the area's cursor read (for example
/// <see cref="ITaskLogRepository.ReadLinesAsync"/>) after the last sequence you delivered.
/// </summary>
/// <remarks>
/// Some changes add no row: a guest log discarded, or rotated with nothing new published, deletes its
/// chunks. They count as touches (<see cref="StreamPosition.Touches"/>) and wake waiters too, so a follower
/// can re-read the log and report the reset instead of waiting for the next publish.
/// </remarks>
public interface IChangeNotifier
{
    /// <summary>The last sequence committed to a stream (0 when the stream has no rows yet).</summary>
    Task<long> GetLastSequenceAsync(string streamKey, CancellationToken cancellationToken = default);

    /// <summary>The last committed sequence and touch count of a stream ((0, 0) when it has neither).</summary>
    Task<StreamPosition> GetPositionAsync(string streamKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until the stream's last sequence is greater than <paramref name="afterSequence"/> and returns it.
    /// Also returns, with a last sequence that may not exceed <paramref name="afterSequence"/>, when the stream
    /// is touched after the wait began (re-read the stream's state then).
    /// </summary>
    Task<long> WaitForChangeAsync(string streamKey, long afterSequence, CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="WaitForChangeAsync(string, long, CancellationToken)"/> but gives up after
    /// <paramref name="maxWait"/> and returns null (time to send a heartbeat).
    /// </summary>
    Task<long?> WaitForChangeAsync(string streamKey, long afterSequence, TimeSpan maxWait, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until the stream moved past <paramref name="after"/> (a greater last sequence or more touches)
    /// and returns the new position, or null after <paramref name="maxWait"/> (use
    /// <see cref="Timeout.InfiniteTimeSpan"/> to wait without limit). Unlike the sequence-only overloads it
    /// misses no touch made after <paramref name="after"/> was read, even one made before this call.
    /// </summary>
    Task<StreamPosition?> WaitForChangeAsync(string streamKey, StreamPosition after, TimeSpan maxWait, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits on several streams at once (a followed tail wakes on new lines and on its task ending). Returns, per
    /// stream, its last sequence when it moved past its sequence (or was touched after the wait began; the
    /// sequence need not have grown then) and null when it did not; all null after <paramref name="maxWait"/>.
    /// </summary>
    Task<long?[]> WaitForAnyChangeAsync(IReadOnlyList<(string StreamKey, long AfterSequence)> streams, TimeSpan maxWait, CancellationToken cancellationToken = default);
}
