using EventLog.V1;

namespace EventLog.Server.Services.TaskLog;

public sealed partial class TaskLogGrpcService
{
    /// <inheritdoc/>
    public override async Task<AppendTaskLogResponse> AppendTaskLog(IAsyncStreamReader<AppendTaskLogRequest> requestStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        long taskId = 0, appended = 0, lineCount = 0;
        string? owner = null;
        while (await requestStream.MoveNext(ct))
        {
            var batch = requestStream.Current;
            if (taskId == 0 && batch.Lines.Count == 0)
            {
                var task = await LoadTaskAsync(context, Access.Write, batch.Project, batch.TaskId);
                taskId = task.Id;
                lineCount = task.LineCount;
                owner = task.Project;
            }
            else if (taskId == 0)
            {
                // The append checks the task's project in its own transaction: no read before it.
                taskId = TaskLogValidation.TaskId(batch.TaskId, "task_id");
                owner = context.RequiredResourceProject(Access.Write, batch.Project);
            }
            else
            {
                TaskLogValidation.SameTask(batch.TaskId, taskId);
            }

            TaskLogValidation.Batch(batch, _options);
            if (batch.Lines.Count == 0)
            {
                continue;
            }

            var range = await repository.AppendLinesAtAsync(taskId, batch.FirstLineNumber, batch.Lines.Select(l => SecretScrubber.Scrub(l)!).ToList(), owner, ct);
            appended += range.Last - range.First + 1;
            lineCount = Math.Max(lineCount, range.Last);
        }

        TaskLogValidation.StreamNamedTask(taskId);

        LogLinesAppended(logger, appended, taskId);
        return new AppendTaskLogResponse { LinesAppended = appended, LineCount = lineCount };
    }
}
