using EventLog.Storage.GuestLogs;
using EventLog.V1;

namespace EventLog.Server.Services.GuestLogs;

public sealed partial class GuestLogsGrpcService
{
    /// <inheritdoc/>
    public override async Task<UploadLogResponse> UploadLog(IAsyncStreamReader<UploadLogRequest> requestStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var header = GuestLogsValidation.Header(await requestStream.MoveNext(ct) ? requestStream.Current : null);
        var log = await LoadLogAsync(context, Access.Write, header.Project, header.InstanceId, header.LogName);
        var hash = string.IsNullOrEmpty(header.FirstLineHash) ? null : header.FirstLineHash;
        var rotated = (log.FirstLineHash is not null && hash is not null && hash != log.FirstLineHash) || header.FileSize < log.PublishedOffset;
        var offset = rotated ? 0 : log.PublishedOffset;
        if (header.Offset > offset)
        {
            Errors.FailedPrecondition($"The upload starts at offset {header.Offset} but log '{log.LogName}' is published up to {offset}; send from there.");
        }

        var upload = new Upload(header, hash, rotated, offset, skip: offset - header.Offset);
        var chunker = new LineChunker(_options.ChunkLimitBytes, _options.MaxLineBytes);
        var batch = new List<NewGuestLogChunk>();
        while (await requestStream.MoveNext(ct))
        {
            GuestLogsValidation.Data(requestStream.Current);
            var data = upload.SkipRetried(requestStream.Current.Data.Span);
            chunker.Append(data, batch);
            if (batch.Sum(c => (long)c.Content.Length) >= _options.PublishBatchBytes)
            {
                await StoreAsync(upload, batch, chunker.HeldBytes, ct);
            }
        }

        chunker.Flush(batch);
        var result = await StoreAsync(upload, batch, chunker.HeldBytes, ct);
        LogUploaded(logger, log.LogName, log.InstanceId, upload.BytesStored, upload.Chunks, upload.Rotated);
        if (!string.IsNullOrEmpty(header.CommandId))
        {
            await commands.CompleteAsync(log.InstanceId, header.CommandId, succeeded: true, errorMessage: null, ct);
        }

        return new UploadLogResponse { Log = Map(result.Log), Rotated = upload.Rotated, BytesStored = upload.BytesStored };
    }

    /// <summary>Stores a batch of chunks (the first store also applies a rotation); the last store may be empty: it records the pending bytes.</summary>
    private async Task<GuestLogPublishResult> StoreAsync(Upload upload, List<NewGuestLogChunk> batch, int heldBytes, CancellationToken ct)
    {
        var bytes = batch.Sum(c => (long)c.Content.Length);
        var result = await repository.PublishAsync(new GuestLogPublish
        {
            InstanceId = upload.Header.InstanceId, LogName = upload.Header.LogName, FileOffset = upload.Offset,
            FileSize = Math.Max(upload.Header.FileSize, upload.Offset + bytes + heldBytes), FirstLineHash = upload.Hash,
            Rotated = upload.Rotated && upload.Stores == 0, Chunks = [.. batch],
        }, ct);
        upload.Stored(bytes, batch.Count, result.Log.PublishedOffset);
        upload.Rotated |= result.Rotated;
        batch.Clear();
        return result;
    }

    /// <summary>State of one UploadLog call.</summary>
    private sealed class Upload(UploadLogHeader header, string? hash, bool rotated, long offset, long skip)
    {
        private long _skip = skip;

        public UploadLogHeader Header { get; } = header;
        public string? Hash { get; } = hash;
        public bool Rotated { get; set; } = rotated;
        public long Offset { get; private set; } = offset;
        public long BytesStored { get; private set; }
        public int Chunks { get; private set; }
        public int Stores { get; private set; }

        /// <summary>Drops the bytes of a retried upload that are already stored.</summary>
        public ReadOnlySpan<byte> SkipRetried(ReadOnlySpan<byte> data)
        {
            var n = (int)Math.Min(_skip, data.Length);
            _skip -= n;
            return data[n..];
        }

        public void Stored(long bytes, int chunks, long offset)
        {
            BytesStored += bytes;
            Chunks += chunks;
            Stores++;
            Offset = offset;
        }
    }
}
