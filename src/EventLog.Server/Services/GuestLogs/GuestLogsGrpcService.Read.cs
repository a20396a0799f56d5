using System.Text;
using EventLog.Server.Auth;
using EventLog.Storage;
using EventLog.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

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
                        await responseStream.WriteAsync(message, ct);
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
                    await responseStream.WriteAsync(new TailLogResponse { Sequence = tail.LastLine, Heartbeat = new Heartbeat { ServerTime = Timestamp.FromDateTime(Now) } }, ct);
                    lastSent = Now;
                }
            }
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

        await responseStream.WriteAsync(new TailLogResponse { Sequence = 0, Reset = true, OldestAvailableSequence = 0 }, ct);
        return true;
    }

    /// <inheritdoc/>
    public override async Task SaveLog(SaveLogRequest request, IServerStreamWriter<SaveLogResponse> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var log = await LoadLogAsync(context, Access.Read, request.Project, request.InstanceId, request.LogName);
        var first = new SaveLogResponse { Log = Map(log) };
        var after = 0L;
        var offset = 0L;
        int? generation = null;
        while (true)
        {
            var batch = await repository.ReadChunksAsync(log.Id, after, _options.ReadBatchChunks, ct);
            foreach (var chunk in batch.Items)
            {
                // The saved file is one generation: stop at a rotation or discard made while saving.
                generation ??= chunk.Generation;
                if (chunk.Generation != generation)
                {
                    batch = new StreamBatch<GuestLogChunk>([], 0);
                    break;
                }

                var message = first ?? new SaveLogResponse();
                first = null;
                message.Offset = offset;
                message.Data = ByteString.CopyFrom(chunk.Content);
                await responseStream.WriteAsync(message, ct);
                offset += chunk.Content.Length;
                after = chunk.Seq;
            }

            if (batch.Items.Count == 0)
            {
                break;
            }
        }

        if (first is not null)
        {
            await responseStream.WriteAsync(first, ct);
        }
    }

    /// <summary>
    /// The storage tail request for a TailLog <c>lines</c>. Trove's log-tail (seed 003): "If n is negative, output
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

    /// <summary>Turns stored chunks into TailLog messages: skips the lines before the tail's start, numbers lines, flags resets.</summary>
    private sealed class TailCursor(GuestLogTail plan, int generation, long? firstLineAsked)
    {
        private int _generation = generation;
        private int _skip = plan.SkipLines;
        private long _expectedLine = plan.FirstLine;

        // Lines asked for by number (N < 0) or the whole log (N = 0) that retention already removed.
        private long? _reset = plan.FirstLine > firstLineAsked ? plan.FirstLine : null;

        public long AfterSequence { get; private set; } = plan.StartAfterSequence;

        /// <summary>Number of the last line sent (0 before any).</summary>
        public long LastLine { get; private set; }

        /// <summary>Without follow: every line the plan covered was sent.</summary>
        public bool Done => LastLine >= plan.LastLine;

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
            if (chunk.Generation != _generation || (_skip == 0 && _expectedLine > 0 && chunk.FirstLine != _expectedLine))
            {
                // Rotated or discarded (numbering restarts) or chunks expired under a follower.
                _generation = chunk.Generation;
                _skip = 0;
                _reset = chunk.FirstLine;
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
