namespace EventLog.Storage.Messages;

/// <summary>Failure messages shown to users, per project, kept until they expire or are purged.</summary>
public interface IMessageRepository
{
    /// <summary>Creates a message (expires after the TTL). A retry with the same idempotency key returns the first message.</summary>
    Task<UserMessage> CreateAsync(NewUserMessage message, CancellationToken cancellationToken = default);

    Task<UserMessage?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Lists newest first. Throws <see cref="InvalidPageTokenException"/> for a token of other filters.</summary>
    Task<Page<UserMessage>> ListAsync(MessageFilter filter, int pageSize, string? pageToken, CancellationToken cancellationToken = default);

    /// <summary>Deletes a message of <paramref name="project"/> (null = any project); false when there is none.</summary>
    Task<bool> DeleteAsync(Guid id, string? project, CancellationToken cancellationToken = default);

    /// <summary>Messages of a project with stream sequence greater than <paramref name="afterSequence"/>, ascending.</summary>
    Task<StreamBatch<UserMessage>> ReadStreamAsync(string project, long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="ReadStreamAsync"/> without looking up the oldest stored sequence: one query, for a watcher
    /// that has read the stream before and only needs what came since.
    /// </summary>
    Task<IReadOnlyList<UserMessage>> ReadStreamRowsAsync(string project, long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes at most <paramref name="batchSize"/> messages expired at <paramref name="now"/>.</summary>
    Task<int> ReapExpiredAsync(DateTime now, int batchSize, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the messages <paramref name="purge"/> selects in rounds of <see cref="RetentionOptions.ReapBatchSize"/>,
    /// each round its own transaction, until a round finds fewer; returns how many were deleted. A cancelled purge
    /// keeps the rounds already committed.
    /// </summary>
    Task<long> PurgeAsync(MessagePurge purge, CancellationToken cancellationToken = default);
}
