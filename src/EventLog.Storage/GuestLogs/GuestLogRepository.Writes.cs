using System.Globalization;
using EventLog.Storage.Core;

namespace EventLog.Storage.GuestLogs;

internal sealed partial class GuestLogRepository
{
    private static readonly string[] UpsertKeys = ["instance_id", "log_name"];
    private static readonly string[] UpsertInsertOnly =
        ["status", "published_bytes", "pending_bytes", "published_offset", "next_line", "generation", "first_available_line", "first_available_offset"];
    private static readonly string[] UpsertUpdated = ["project", "log_type", "file_name", "datastore", "exposed", "restart_required", "updated_at"];

    private const string UpdateStatus = """
        UPDATE guest_logs SET status = @status, pending_bytes = COALESCE(@pendingBytes, pending_bytes), updated_at = @now WHERE id = @id
        """;

    private const string DeleteChunks = "DELETE FROM guest_log_chunks WHERE log_id = @logId";

    private const string InsertChunk = """
        INSERT INTO guest_log_chunks (log_id, seq, generation, first_line, line_count, byte_length, content, created_at, expires_at)
        VALUES (@LogId, @Seq, @Generation, @FirstLine, @LineCount, @ByteLength, @Content, @CreatedAt, @ExpiresAt)
        """;

    private const string UpdatePublishState = """
        UPDATE guest_logs SET status = @Status, published_bytes = @PublishedBytes, pending_bytes = @PendingBytes,
            published_offset = @PublishedOffset, first_line_hash = @FirstLineHash, next_line = @NextLine,
            generation = @Generation, updated_at = @UpdatedAt, published_at = @PublishedAt,
            first_available_line = @FirstAvailableLine, first_available_offset = @FirstAvailableOffset
        WHERE id = @Id
        """;

    public Task<GuestLogInfo> UpsertLogAsync(GuestLogDefinition definition, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async w =>
        {
            var sql = w.Dialect.Upsert("guest_logs", UpsertKeys, UpsertInsertOnly, UpsertUpdated);
            await w.ExecuteAsync(sql, new
            {
                instance_id = definition.InstanceId, log_name = definition.LogName, project = definition.Project,
                log_type = definition.LogType, status = definition.InitialStatus, file_name = definition.FileName,
                datastore = definition.Datastore, exposed = definition.Exposed, restart_required = definition.RestartRequired,
                published_bytes = 0L, pending_bytes = 0L, published_offset = 0L, next_line = 1L, generation = 0, updated_at = Now,
                first_available_line = 1L, first_available_offset = 0L,
            });
            return await LoadForUpdateAsync(w, definition.InstanceId, definition.LogName);
        }, cancellationToken);

    public Task<GuestLogInfo> SetStatusAsync(string instanceId, string logName, GuestLogStatus status, long? pendingBytes = null, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async w =>
        {
            var log = await LoadForUpdateAsync(w, instanceId, logName);
            var now = Now;
            await w.ExecuteAsync(UpdateStatus, new { id = log.Id, status, pendingBytes, now });
            return log with { Status = status, PendingBytes = pendingBytes ?? log.PendingBytes, UpdatedAt = now };
        }, cancellationToken);

    public Task<GuestLogInfo> DiscardAsync(string instanceId, string logName, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async w =>
        {
            var log = await LoadForUpdateAsync(w, instanceId, logName);
            var pendingAfter = log.PendingBytes + log.PublishedOffset;
            var reset = Reset(log, Now) with { Status = KeepUserStatus(log, pendingAfter > 0 ? GuestLogStatus.Ready : GuestLogStatus.Enabled), PendingBytes = pendingAfter };
            await w.ExecuteAsync(DeleteChunks, new { logId = log.Id });
            await w.ExecuteAsync(UpdatePublishState, reset);
            await w.TouchAsync(StreamKeys.GuestLog(log.Id));
            return reset;
        }, cancellationToken);

    public Task<GuestLogPublishResult> PublishAsync(GuestLogPublish publish, CancellationToken cancellationToken = default)
    {
        var scope = $"guestlogs.publish:{publish.InstanceId}/{publish.LogName}";
        var expiry = options.Value.Retention.GuestLogChunkExpiry;
        return database.WriteAsync(async w =>
        {
            if (await w.FindIdempotentAsync<GuestLogPublishResult>(scope, publish.IdempotencyKey) is { } existing)
            {
                return existing;
            }

            var now = Now;
            var log = await LoadForUpdateAsync(w, publish.InstanceId, publish.LogName);
            var rotated = publish.Rotated
                || (log.FirstLineHash is not null && publish.FirstLineHash is not null && log.FirstLineHash != publish.FirstLineHash)
                || publish.FileSize < log.PublishedOffset;
            if (rotated)
            {
                await w.ExecuteAsync(DeleteChunks, new { logId = log.Id });
                log = Reset(log, now) with { Status = GuestLogStatus.Rotated };
            }

            if (publish.FileOffset != log.PublishedOffset)
            {
                throw new PreconditionFailedException(
                    $"Publish of log '{publish.LogName}' starts at offset {publish.FileOffset} but the published offset is {log.PublishedOffset}.");
            }

            long firstSeq = 0, lastSeq = 0;
            var bytes = 0L;
            if (publish.Chunks.Count > 0)
            {
                firstSeq = await w.AllocateAsync(StreamKeys.GuestLog(log.Id), publish.Chunks.Count);
                var line = log.NextLine;
                var rows = new List<GuestLogChunk>(publish.Chunks.Count);
                foreach (var c in publish.Chunks)
                {
                    rows.Add(new GuestLogChunk
                    {
                        LogId = log.Id, Seq = firstSeq + rows.Count, Generation = log.Generation, FirstLine = line,
                        LineCount = c.LineCount, ByteLength = c.Content.Length, Content = c.Content, CreatedAt = now,
                        ExpiresAt = expiry > TimeSpan.Zero ? now + expiry : null,
                    });
                    line += c.LineCount;
                    bytes += c.Content.Length;
                }

                await w.ExecuteAsync(InsertChunk, rows);
                lastSeq = firstSeq + rows.Count - 1;
                log = log with { NextLine = line };
            }
            else if (rotated)
            {
                await w.TouchAsync(StreamKeys.GuestLog(log.Id));
            }

            var offset = log.PublishedOffset + bytes;
            var pending = Math.Max(0, publish.FileSize - offset);
            log = log with
            {
                PublishedOffset = offset, PublishedBytes = log.PublishedBytes + bytes, PendingBytes = pending,
                FirstLineHash = publish.FirstLineHash ?? log.FirstLineHash, UpdatedAt = now,
                PublishedAt = bytes > 0 ? now : log.PublishedAt,
                Status = KeepUserStatus(log, bytes == 0 && rotated ? GuestLogStatus.Rotated
                    : pending == 0 ? GuestLogStatus.Published
                    : offset == 0 ? GuestLogStatus.Ready : GuestLogStatus.Partial),
            };
            await w.ExecuteAsync(UpdatePublishState, log);
            var result = new GuestLogPublishResult(log, rotated, firstSeq, lastSeq);
            await w.SaveIdempotentAsync(scope, publish.IdempotencyKey, result, now);
            return result;
        }, cancellationToken);
    }

    /// <summary>A user's Disabled and a pending Restart Required outlive publishes and discards (Trove shows them with counts).</summary>
    private static GuestLogStatus KeepUserStatus(GuestLogInfo log, GuestLogStatus status) =>
        log.Status is GuestLogStatus.Disabled or GuestLogStatus.RestartRequired ? log.Status : status;

    private static GuestLogInfo Reset(GuestLogInfo log, DateTime now) => log with
    {
        PublishedBytes = 0, PublishedOffset = 0, NextLine = 1, FirstLineHash = null, Generation = log.Generation + 1, UpdatedAt = now,
        PublishedAt = null, FirstAvailableLine = 1, FirstAvailableOffset = 0,
    };

    private static async Task<GuestLogInfo> LoadForUpdateAsync(WriteContext w, string instanceId, string logName) =>
        await w.SingleOrDefaultAsync<GuestLogInfo>(
            string.Format(CultureInfo.InvariantCulture, "SELECT {0} FROM guest_logs {1} WHERE instance_id = @instanceId AND log_name = @logName {2}", LogColumns, w.Dialect.LockRows, w.Dialect.ForUpdate),
            new { instanceId, logName })
        ?? throw new NotFoundException($"Log '{logName}' of instance {instanceId} does not exist.");
}
