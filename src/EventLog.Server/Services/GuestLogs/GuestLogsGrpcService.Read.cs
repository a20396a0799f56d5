using System.Text;
using EventLog.Storage.GuestLogs;
using EventLog.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace EventLog.Server.Services.GuestLogs;

public sealed partial class GuestLogsGrpcService
{
    /// <inheritdoc/>
    public override async Task TailLog(TailLogRequest request, IServerStreamWriter<TailLogResponse> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var log = await LoadLogAsync(context, Access.Read, request.Project, request.InstanceId, request.LogName);
        var lines = StorageTailLines(request.Lines);
        var plan = await repository.GetTailAsync(log.InstanceId, log.LogName, lines, ct);
        var tail = new TailCursor(plan, log.Generation, firstLineAsked: lines > 0 ? null : Math.Max(1, -lines));
        var lastSent = Now;
        var position = plan.Position;
        try
        {
            while (request.Follow || !tail.Done)
            {
                var batch = await repository.ReadChunksAsync(plan.LogId, tail.AfterSequence, _options.ReadBatchChunks, ct);
                foreach (var chunk in batch.Items.TakeWhile(_ => request.Follow || !tail.Done))
                {
                    if (tail.Next(chunk) is { } message)
                    {
                        await responseStream.WriteAsync(tail.Stamp(message), ct);
                        lastSent = Now;
                    }
                }

                if (batch.Items.Count > 0)
                {
                    continue;
                }

                if (!request.Follow)
                {
                    break;
                }

                // Caught up with nothing sent: say where the log starts before waiting for lines.
                if (await WriteStartIfPendingAsync(tail, responseStream, ct))
                {
                    lastSent = Now;
                }

                var wait = lastSent + _options.HeartbeatInterval - Now;
                if (wait > TimeSpan.Zero && await notifier.WaitForChangeAsync(StreamKeys.GuestLog(plan.LogId), position, wait, ct) is { } moved)
                {
                    if (moved.Touches != position.Touches && await ResetIfDiscardedAsync(log, tail, responseStream, ct))
                    {
                        lastSent = Now;
                    }

                    position = moved;
                    continue;
                }

                if (Now >= lastSent + _options.HeartbeatInterval)
                {
                    await responseStream.WriteAsync(tail.Stamp(new TailLogResponse { Sequence = tail.LastLine, Heartbeat = new Heartbeat { ServerTime = Timestamp.FromDateTime(Now) } }), ct);
                    lastSent = Now;
                }
            }

            // Without follow: a tail that sent no line (an empty log, or a start past its end) still says where the log starts.
            await WriteStartIfPendingAsync(tail, responseStream, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            LogStreamEnded(logger, nameof(TailLog), log.LogName, log.InstanceId, "cancelled");
        }
    }

    /// <summary>
    /// A discard, or a rotation with nothing published yet, removes chunks without adding one: tell the follower
    /// at once (numbering restarts at 1) instead of at the next publish. Returns whether a reset was sent.
    /// </summary>
    private async Task<bool> ResetIfDiscardedAsync(GuestLogInfo log, TailCursor tail, IServerStreamWriter<TailLogResponse> responseStream, CancellationToken ct)
    {
        var current = await repository.GetLogAsync(log.InstanceId, log.LogName, ct);
        if (current is null || !tail.TryReset(current.Generation))
        {
            return false;
        }

        await responseStream.WriteAsync(tail.Stamp(new TailLogResponse { Sequence = 0, Reset = true, OldestAvailableSequence = 0 }), ct);
        return true;
    }

    /// <summary>Sends the first message of a tail that has nothing else to send first: only where the log starts. Returns whether it did.</summary>
    private static async Task<bool> WriteStartIfPendingAsync(TailCursor tail, IServerStreamWriter<TailLogResponse> responseStream, CancellationToken ct)
    {
        if (tail.Started)
        {
            return false;
        }

        await responseStream.WriteAsync(tail.Stamp(new TailLogResponse { Sequence = tail.LastLine }), ct);
        return true;
    }

    /// <inheritdoc/>
    public override async Task SaveLog(SaveLogRequest request, IServerStreamWriter<SaveLogResponse> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var log = await LoadLogAsync(context, Access.Read, request.Project, request.InstanceId, request.LogName);
        (log, var batch) = await ReadSaveStartAsync(log, ct);
        var first = new SaveLogResponse { Log = Map(log), Offset = log.FirstAvailableOffset };
        var offset = log.FirstAvailableOffset;
        int? generation = null;
        long? nextLine = null;
        while (batch.Items.Count > 0)
        {
            var after = 0L;
            foreach (var chunk in batch.Items)
            {
                // The saved file is one generation: stop at a rotation or discard made while saving.
                generation ??= chunk.Generation;
                if (chunk.Generation != generation)
                {
                    batch = new StreamBatch<GuestLogChunk>([], 0);
                    break;
                }

                // Chunks not read yet that expire during a long save leave a hole: the rest would not be at its offset.
                if (nextLine is { } expected && chunk.FirstLine != expected)
                {
                    throw Errors.Create(StatusCode.Aborted, "ABORTED",
                        $"Lines {expected} to {chunk.FirstLine - 1} of log '{log.LogName}' expired while it was being saved; save it again.");
                }

                nextLine = chunk.FirstLine + chunk.LineCount;
                var message = first ?? new SaveLogResponse();
                first = null;
                message.Offset = offset;
                message.Data = ByteString.CopyFrom(chunk.Content);
                await responseStream.WriteAsync(message, ct);
                offset += chunk.Content.Length;
                after = chunk.Seq;
            }

            if (batch.Items.Count > 0)
            {
                batch = await repository.ReadChunksAsync(log.Id, after, _options.ReadBatchChunks, ct);
            }
        }

        if (first is not null)
        {
            await responseStream.WriteAsync(first, ct);
        }
    }

    /// <summary>
    /// The first chunks of a save and the log as of them, so that the first message's metadata and offset describe
    /// the bytes that follow: the reaper may delete the log's first chunks (and move its first available line and
    /// offset) between reading the log and reading its chunks. The first chunk read must be the log's first
    /// available line, of its generation, after the chunks were read; else both are read again.
    /// </summary>
    private async Task<(GuestLogInfo Log, StreamBatch<GuestLogChunk> Batch)> ReadSaveStartAsync(GuestLogInfo log, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var batch = await repository.ReadChunksAsync(log.Id, 0, _options.ReadBatchChunks, ct);
            var current = await repository.GetLogAsync(log.InstanceId, log.LogName, ct);
            if (current is null || current.Id != log.Id)
            {
                // The entry is gone or was replaced meanwhile: save what was read.
                return (log, batch);
            }

            var consistent = batch.Items.Count == 0
                ? current.PublishedBytes == 0
                : batch.Items[0].Generation == current.Generation && batch.Items[0].FirstLine == current.FirstAvailableLine;
            if (consistent || attempt == 3)
            {
                return (current, batch);
            }
        }
    }

    /// <summary>
    /// The storage tail request for a TailLog <c>lines</c>. Trove's log-tail: "If n is negative, output
    /// will start past line n", that is after line |N|, at line |N|+1 (its client slices <c>lines[abs(n):]</c>);
    /// storage counts N &lt; 0 from line |N| itself, so ask it for one more. Beyond any line count it is clamped,
    /// so that negating it cannot overflow.
    /// </summary>
    private static long StorageTailLines(long lines) => lines switch
    {
        >= 0 => lines,
        <= -(long.MaxValue - 1) => -long.MaxValue,
        _ => lines - 1,
    };

    /// <summary>
    /// Turns stored chunks into TailLog messages: skips the lines before the tail's start, numbers lines, flags resets,
    /// and marks the first message with where the readable log starts.
    /// </summary>
    private sealed class TailCursor(GuestLogTail plan, int generation, long? firstLineAsked)
    {
        private int _generation = generation;
        private int _skip = plan.SkipLines;

        // The first line of the chunk the plan starts in (0: the plan found none, any chunk may come).
        private long _expectedLine = plan.FirstLine > 0 ? plan.FirstLine - plan.SkipLines : 0;

        // Where the readable log starts, until the first message has said it.
        private long? _firstAvailable = plan.FirstAvailableLine;

        // Lines asked for by number (N < 0) or the whole log (N = 0) that retention already removed.
        private long? _reset = plan.FirstLine > firstLineAsked ? plan.FirstLine : null;

        public long AfterSequence { get; private set; } = plan.StartAfterSequence;

        /// <summary>Number of the last line sent (0 before any).</summary>
        public long LastLine { get; private set; }

        /// <summary>Without follow: every line the plan covered was sent.</summary>
        public bool Done => LastLine >= plan.LastLine;

        /// <summary>Whether the first message (which says where the log starts) was stamped.</summary>
        public bool Started => _firstAvailable is null;

        /// <summary>Sets <c>first_available_line</c> on the stream's first message; returns the message.</summary>
        public TailLogResponse Stamp(TailLogResponse message)
        {
            if (_firstAvailable is { } first)
            {
                message.FirstAvailableLine = first;
                _firstAvailable = null;
            }

            return message;
        }

        /// <summary>Moves to a new generation that has no chunk yet; false when it is the current one.</summary>
        public bool TryReset(int generation)
        {
            if (generation == _generation)
            {
                return false;
            }

            _generation = generation;
            _skip = 0;
            _reset = null;
            _expectedLine = 1;
            LastLine = 0;
            return true;
        }

        public TailLogResponse? Next(GuestLogChunk chunk)
        {
            AfterSequence = chunk.Seq;
            if (chunk.Generation != _generation || (_expectedLine > 0 && chunk.FirstLine != _expectedLine))
            {
                // Rotated or discarded (numbering restarts), or chunks expired under a follower or since the plan (the
                // chunk it starts in too: its skip does not apply to another one).
                _generation = chunk.Generation;
                _skip = 0;
                _reset = chunk.FirstLine;
                if (_firstAvailable is not null)
                {
                    // Nothing sent yet, and everything before the plan's first chunk is gone: this chunk is the log's first.
                    _firstAvailable = chunk.FirstLine;
                }
            }

            var lines = SplitLines(chunk.Content);
            var skip = Math.Min(_skip, lines.Count);
            _skip = 0;
            _expectedLine = chunk.FirstLine + chunk.LineCount;
            if (skip == lines.Count)
            {
                return null;
            }

            var message = new TailLogResponse { Lines = new GuestLogLines { FirstLineNumber = chunk.FirstLine + skip } };
            message.Lines.Lines.Add(lines.Skip(skip));
            LastLine = chunk.FirstLine + lines.Count - 1;
            message.Sequence = LastLine;
            if (_reset is { } oldest)
            {
                message.Reset = true;
                message.OldestAvailableSequence = oldest;
                _reset = null;
            }

            return message;
        }

        /// <summary>A chunk's lines without their line breaks; a chunk not ending in one (a split long line) ends with a line too.</summary>
        private static List<string> SplitLines(byte[] content)
        {
            var lines = new List<string>();
            var span = content.AsSpan();
            while (!span.IsEmpty)
            {
                var end = span.IndexOf((byte)'\n');
                lines.Add(Encoding.UTF8.GetString(end < 0 ? span : span[..end]));
                span = end < 0 ? [] : span[(end + 1)..];
            }

            return lines;
        }
    }
}
