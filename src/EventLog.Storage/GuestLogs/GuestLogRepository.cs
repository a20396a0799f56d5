using System.Globalization;
using EventLog.Storage.Core;
using Microsoft.Extensions.Options;

namespace EventLog.Storage.GuestLogs;

internal sealed partial class GuestLogRepository(StorageDatabase database, TimeProvider clock, IOptions<StorageOptions> options) : IGuestLogRepository
{
    private const string LogColumns = """
        id, instance_id, log_name, project, log_type, status, file_name, datastore, exposed, restart_required,
        published_bytes, pending_bytes, published_offset, first_line_hash, next_line, generation, updated_at, published_at,
        first_available_line, first_available_offset
        """;

    private const string ChunkColumns = """
        id, log_id, seq, generation, first_line, line_count, byte_length, content, created_at, expires_at
        """;

    private const string SelectLog = $"SELECT {LogColumns} FROM guest_logs WHERE instance_id = @instanceId AND log_name = @logName";

    private const string SelectLogs = $"SELECT {LogColumns} FROM guest_logs WHERE instance_id = @instanceId ORDER BY log_name";

    private const string SelectChunksAfter = $$"""
        SELECT {0} {{ChunkColumns}} FROM guest_log_chunks WHERE log_id = @logId AND seq > @after ORDER BY seq {1}
        """;

    private const string SelectOldestChunk = "SELECT MIN(seq) FROM guest_log_chunks WHERE log_id = @logId";

    private const string SelectEdgeChunk = """
        SELECT {0} seq, first_line, line_count FROM guest_log_chunks WHERE log_id = @logId ORDER BY seq {1} {2}
        """;

    private const string SelectChunkAtLine = """
        SELECT {0} seq, first_line, line_count FROM guest_log_chunks WHERE log_id = @logId AND first_line <= @line
        ORDER BY first_line DESC {1}
        """;

    private const string SelectStreamPosition = "SELECT last_seq, touches FROM streams WHERE stream_key = @key";

    private DateTime Now => database.Now(clock);

    public Task<GuestLogInfo?> GetLogAsync(string instanceId, string logName, CancellationToken cancellationToken = default) =>
        database.QuerySingleOrDefaultAsync<GuestLogInfo>(SelectLog, new { instanceId, logName }, cancellationToken);

    public async Task<IReadOnlyList<GuestLogInfo>> ListLogsAsync(string instanceId, CancellationToken cancellationToken = default) =>
        await database.QueryAsync<GuestLogInfo>(SelectLogs, new { instanceId }, cancellationToken);

    public async Task<StreamBatch<GuestLogChunk>> ReadChunksAsync(long logId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        var sql = string.Format(CultureInfo.InvariantCulture, SelectChunksAfter, database.Dialect.Top, database.Dialect.Limit);
        var rows = await database.QueryAsync<GuestLogChunk>(sql, new { logId, after = afterSequence, limit }, cancellationToken);
        var oldest = await database.ScalarAsync<long?>(SelectOldestChunk, new { logId }, cancellationToken);
        return new StreamBatch<GuestLogChunk>(rows, oldest ?? 0);
    }

    public async Task<GuestLogTail> GetTailAsync(string instanceId, string logName, long lines, CancellationToken cancellationToken = default)
    {
        var log = await GetLogAsync(instanceId, logName, cancellationToken)
            ?? throw new NotFoundException($"Log '{logName}' of instance {instanceId} does not exist.");
        var d = database.Dialect;
        await using var conn = await database.OpenReadAsync(cancellationToken);

        Task<ChunkEdge?> Edge(string direction) => Dapper.SqlMapper.QuerySingleOrDefaultAsync<ChunkEdge>(conn,
            database.Command(string.Format(CultureInfo.InvariantCulture, SelectEdgeChunk, d.Top, direction, d.Limit), new { logId = log.Id, limit = 1 }, cancellationToken));

        // Read first: a reset committed after this point moves the touch count a follower waits on.
        var (lastSeq, touches) = await Dapper.SqlMapper.QuerySingleOrDefaultAsync<(long, long)>(conn, database.Command(SelectStreamPosition, new { key = StreamKeys.GuestLog(log.Id) }, cancellationToken));
        var position = new StreamPosition(lastSeq, touches);
        var last = await Edge("DESC");
        var first = await Edge("ASC");
        if (last is null || first is null)
        {
            // Nothing stored (never published, discarded, or every line expired): the next line published is the first.
            return new GuestLogTail(log.Id, position.LastSequence, 0, 0, 0) { Position = position, FirstAvailableLine = log.FirstAvailableLine };
        }

        var lastLine = last.FirstLine + last.LineCount - 1;
        var start = lines switch
        {
            > 0 => Math.Max(first.FirstLine, lastLine - lines + 1),
            < 0 => Math.Max(first.FirstLine, -lines),
            _ => first.FirstLine,
        };
        // The first stored chunk is where the readable log starts: the reaper deletes a log's chunks from its start.
        if (start > lastLine)
        {
            return new GuestLogTail(log.Id, last.Seq, 0, lastLine + 1, lastLine) { Position = position, FirstAvailableLine = first.FirstLine };
        }

        // Seek by the (log_id, first_line) index: earlier chunks are never read.
        var chunk = await Dapper.SqlMapper.QuerySingleAsync<ChunkEdge>(conn, database.Command(
            string.Format(CultureInfo.InvariantCulture, SelectChunkAtLine, d.Top, d.Limit), new { logId = log.Id, line = start, limit = 1 }, cancellationToken));
        return new GuestLogTail(log.Id, chunk.Seq - 1, (int)(start - chunk.FirstLine), start, lastLine) { Position = position, FirstAvailableLine = first.FirstLine };
    }

    public Task<int> ReapExpiredChunksAsync(DateTime now, int batchSize, CancellationToken cancellationToken = default)
    {
        // One batch per round, however many logs it touches: the deletes and the counter updates of every log together.
        var sql = database.Dialect.ReapGuestLogChunks;
        return database.WriteAsync(w => w.ScalarAsync<int>(sql, new { now, batch = batchSize }), cancellationToken);
    }

    private sealed record ChunkEdge
    {
        public long Seq { get; init; }
        public long FirstLine { get; init; }
        public int LineCount { get; init; }
    }
}
