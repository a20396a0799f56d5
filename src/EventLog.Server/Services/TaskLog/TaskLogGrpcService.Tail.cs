using EventLog.Storage.TaskLog;
using EventLog.V1;
using Google.Protobuf.WellKnownTypes;

namespace EventLog.Server.Services.TaskLog;

public sealed partial class TaskLogGrpcService
{
    /// <inheritdoc/>
    public override async Task TailTaskLog(TailTaskLogRequest request, IServerStreamWriter<TailTaskLogResponse> responseStream, ServerCallContext context)
    {
        TaskLogValidation.After(request.AfterLine, "after_line");

        var ct = context.CancellationToken;
        var task = await LoadTaskAsync(context, Access.Read, request.Project, request.TaskId);
        var cursor = new TailCursor(request.AfterLine);
        var pacer = new FollowPacer(_options.FollowLinger);
        try
        {
            while (true)
            {
                pacer.Read();
                // Read the task before its lines: if it had finished by then, no line can follow the ones read next.
                await SendAvailableLinesAsync(task.Id, cursor, responseStream, ct);
                if (!request.Follow)
                {
                    return;
                }

                if (task.IsFinished)
                {
                    await responseStream.WriteAsync(new TailTaskLogResponse { Sequence = cursor.Line, TaskEnded = Map(task) }, ct);
                    LogStreamEnded(logger, "TailTaskLog", task.Id, "task finished");
                    return;
                }

                await pacer.PaceAsync(ct);
                var changed = await notifier.WaitForAnyChangeAsync(
                    [(StreamKeys.TaskLines(task.Id), cursor.Line), (StreamKeys.TaskState(task.Id), task.Version)], _options.HeartbeatInterval, ct);
                if (changed[0] is null && changed[1] is null)
                {
                    await responseStream.WriteAsync(TailHeartbeat(cursor), ct);
                    continue;
                }

                cursor.Known = Math.Max(cursor.Known, changed[0] ?? 0);
                // New lines alone do not change the task; re-read it only when its state moved.
                if (changed[1] is null)
                {
                    continue;
                }

                if (await repository.GetTaskAsync(task.Id, ct) is not { } current)
                {
                    LogStreamEnded(logger, "TailTaskLog", task.Id, "task removed by retention");
                    return;
                }

                task = current;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            LogStreamEnded(logger, "TailTaskLog", task.Id, "cancelled");
        }
    }

    private async Task SendAvailableLinesAsync(long taskId, TailCursor cursor, IServerStreamWriter<TailTaskLogResponse> responseStream, CancellationToken ct)
    {
        while (true)
        {
            // Only the first read can find the caller's position removed by retention; later ones skip that lookup.
            var batch = cursor.Started
                ? new StreamBatch<TaskLogLine>(await ReadSharedLinesAsync(taskId, cursor).WaitAsync(ct), 0)
                : await repository.ReadLinesAsync(taskId, cursor.Line, _options.TailBatchLines, ct);
            var response = new TailTaskLogResponse();
            if (!cursor.Started && batch.OldestAvailableSequence > cursor.Line + 1)
            {
                // Retention removed lines the caller asked for: say so instead of skipping silently.
                response.Reset = true;
                response.OldestAvailableSequence = batch.OldestAvailableSequence;
            }

            cursor.Started = true;
            if (batch.Items.Count == 0)
            {
                if (response.Reset)
                {
                    await responseStream.WriteAsync(TailHeartbeat(cursor, response), ct);
                }

                return;
            }

            var lines = new TaskLogLines { FirstLineNumber = batch.Items[0].LineNo };
            lines.Lines.Add(batch.Items.Select(l => l.Text));
            cursor.Line = batch.Items[^1].LineNo;
            response.Sequence = cursor.Line;
            response.Lines = lines;
            await responseStream.WriteAsync(response, ct);
            if (batch.Items.Count < _options.TailBatchLines)
            {
                return;
            }
        }
    }

    // Tails of one task woken by the same append read its lines once. The read is not cancelled with the caller:
    // other tails may be waiting for it.
    private Task<IReadOnlyList<TaskLogLine>> ReadSharedLinesAsync(long taskId, TailCursor cursor)
    {
        var after = cursor.Line;
        return _sharedLines.ReadAsync(StreamKeys.TaskLines(taskId), after, cursor.Known, () => repository.ReadNewLinesAsync(taskId, after, _options.TailBatchLines, CancellationToken.None));
    }

    private TailTaskLogResponse TailHeartbeat(TailCursor cursor, TailTaskLogResponse? response = null)
    {
        response ??= new TailTaskLogResponse();
        response.Sequence = cursor.Line;
        response.Heartbeat = new Heartbeat { ServerTime = Timestamp.FromDateTimeOffset(clock.GetUtcNow()) };
        return response;
    }

    /// <summary>
    /// Where a tail stands: the last line delivered, whether the first response went out, and the last line
    /// known committed (from the waits).
    /// </summary>
    private sealed class TailCursor(long line)
    {
        public long Line { get; set; } = line;
        public bool Started { get; set; }
        public long Known { get; set; }
    }
}
