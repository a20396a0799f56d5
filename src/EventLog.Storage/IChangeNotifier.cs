namespace EventLog.Storage;

/// <summary>
/// Lets watchers wait for new rows of a stream. Commits in this process wake waiters at once; commits
/// by other processes are found by polling the stream position every <see cref="StorageOptions.ChangePollInterval"/>.
/// After a wake-up, read the rows with the area's cursor read (for example
/// <see cref="ITaskLogRepository.ReadLinesAsync"/>) after the last sequence you delivered.
/// </summary>
public interface IChangeNotifier
{
    /// <summary>The last sequence committed to a stream (0 when the stream has no rows yet).</summary>
    Task<long> GetLastSequenceAsync(string streamKey, CancellationToken cancellationToken = default);

    /// <summary>Waits until the stream's last sequence is greater than <paramref name="afterSequence"/> and returns it.</summary>
    Task<long> WaitForChangeAsync(string streamKey, long afterSequence, CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="WaitForChangeAsync(string, long, CancellationToken)"/> but gives up after
    /// <paramref name="maxWait"/> and returns null (time to send a heartbeat).
    /// </summary>
    Task<long?> WaitForChangeAsync(string streamKey, long afterSequence, TimeSpan maxWait, CancellationToken cancellationToken = default);
}
