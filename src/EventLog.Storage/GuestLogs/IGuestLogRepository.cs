namespace EventLog.Storage.GuestLogs;

/// <summary>Guest logs of an instance: the catalog of logs, each log's publish state, and its published chunks.</summary>
public interface IGuestLogRepository
{
    /// <summary>Creates or updates a catalog entry (status is set only on creation).</summary>
    Task<GuestLogInfo> UpsertLogAsync(GuestLogDefinition definition, CancellationToken cancellationToken = default);

    Task<GuestLogInfo?> GetLogAsync(string instanceId, string logName, CancellationToken cancellationToken = default);

    /// <summary>Catalog of an instance ordered by name.</summary>
    Task<IReadOnlyList<GuestLogInfo>> ListLogsAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Sets the status (and pending bytes when given). NotFound when the log is unknown.</summary>
    Task<GuestLogInfo> SetStatusAsync(string instanceId, string logName, GuestLogStatus status, long? pendingBytes = null, CancellationToken cancellationToken = default);

    /// <summary>Stores chunks in one transaction, handling rotation. PreconditionFailed when the offset does not continue the log.</summary>
    Task<GuestLogPublishResult> PublishAsync(GuestLogPublish publish, CancellationToken cancellationToken = default);

    /// <summary>Deletes the stored chunks and resets the publish state (status Ready).</summary>
    Task<GuestLogInfo> DiscardAsync(string instanceId, string logName, CancellationToken cancellationToken = default);

    /// <summary>Plans a tail: last N lines (N &gt; 0), from line -N on (N &lt; 0), or all (N = 0), from chunk line counts only.</summary>
    Task<GuestLogTail> GetTailAsync(string instanceId, string logName, long lines, CancellationToken cancellationToken = default);

    /// <summary>Chunks with sequence greater than <paramref name="afterSequence"/>, ascending.</summary>
    Task<StreamBatch<GuestLogChunk>> ReadChunksAsync(long logId, long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes at most <paramref name="batchSize"/> chunks expired at <paramref name="now"/>, oldest expiry first. A
    /// log expires from its start: an expired chunk takes the older chunks of its log with it, so no hole opens.
    /// The same transaction takes what it deleted off each log's counters (<see cref="GuestLogInfo.PublishedBytes"/>,
    /// <see cref="GuestLogInfo.LineCount"/>) and moves its <see cref="GuestLogInfo.FirstAvailableLine"/> and
    /// <see cref="GuestLogInfo.FirstAvailableOffset"/> past it; line numbers do not change. Returns the chunks deleted.
    /// </summary>
    Task<int> ReapExpiredChunksAsync(DateTime now, int batchSize, CancellationToken cancellationToken = default);
}
