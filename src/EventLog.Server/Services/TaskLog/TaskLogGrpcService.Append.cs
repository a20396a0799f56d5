using EventLog.Server.Auth;
using EventLog.Server.Infrastructure;
using EventLog.V1;
using Grpc.Core;

namespace EventLog.Server.Services.TaskLog;

public sealed partial class TaskLogGrpcService
{
    /// <inheritdoc/>
    public override async Task<AppendTaskLogResponse> AppendTaskLog(IAsyncStreamReader<AppendTaskLogRequest> requestStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        long taskId = 0, appended = 0, lineCount = 0;
        while (await requestStream.MoveNext(ct))
        {
            var batch = requestStream.Current;
            if (taskId == 0)
            {
                var task = await LoadTaskAsync(context, Access.Write, batch.Project, batch.TaskId);
                taskId = task.Id;
                lineCount = task.LineCount;
            }
            else if (batch.TaskId != 0 && batch.TaskId != taskId)
            {
                Errors.InvalidArgument("task_id", $"must stay {taskId} on the whole stream (or be 0)");
            }

            CheckBatch(batch);
            if (batch.Lines.Count == 0)
            {
                continue;
            }

            var range = await repository.AppendLinesAtAsync(taskId, batch.FirstLineNumber, batch.Lines.Select(l => SecretScrubber.Scrub(l)!).ToList(), ct);
            appended += range.Last - range.First + 1;
            lineCount = Math.Max(lineCount, range.Last);
        }

        if (taskId == 0)
        {
            Errors.InvalidArgument("task_id", "is required: the stream carried no message");
        }

        LogLinesAppended(logger, appended, taskId);
        return new AppendTaskLogResponse { LinesAppended = appended, LineCount = lineCount };
    }

    private void CheckBatch(AppendTaskLogRequest batch)
    {
        if (batch.FirstLineNumber < 0)
        {
            Errors.InvalidArgument("first_line_number", "must not be negative");
        }

        if (batch.Lines.Count > _options.MaxAppendBatchLines)
        {
            Errors.ResourceExhausted($"A batch carries {batch.Lines.Count} lines; at most {_options.MaxAppendBatchLines} are allowed per message.");
        }

        var bytes = 0L;
        foreach (var line in batch.Lines)
        {
            bytes += System.Text.Encoding.UTF8.GetByteCount(line);
        }

        if (bytes > _options.MaxAppendBatchBytes)
        {
            Errors.ResourceExhausted($"A batch carries {bytes} bytes; at most {_options.MaxAppendBatchBytes} are allowed per message.");
        }
    }
}
