
namespace EventLog.Storage.Tests.SqlServer;

internal sealed partial class StorageExercise
{
    private const string Target = "/vms/" + Project;

    private static readonly TaskInfo RunningTask = new()
    {
        Id = Id, Project = Project, App = Project, TargetUri = Target, State = TaskState.Running,
        CreatedAt = Now, StartedAt = Now, UpdatedAt = Now,
    };

    private async Task TaskLogAsync(CancellationToken ct)
    {
        var repository = Get<ITaskLogRepository>();
        server.SetRow("tasks", RunningTask);
        server.SetRow("request_log", new RequestLogEntry { Id = Id, Project = Project, OccurredAt = Now, Kind = "HTTP", App = Project });
        server.SetRow("task_lines", new TaskLogLine { TaskId = Id, LineNo = 1, LoggedAt = Now, Text = "line" });

        // Not a TASK entry, no task id, a request id: the task it spawned is looked up first.
        await Call(() => repository.RecordRequestAsync(new NewRequestLogEntry
        {
            Project = Project, Kind = "HTTP", App = Project, MessageCode = "M", RequestId = "req", IdempotencyKey = "key",
        }, ct));
        await Call(() => repository.GetRequestAsync(Id, ct));
        foreach (var filter in FilterShapes.Of(() => new RequestLogFilter()))
        {
            await Call(() => BothPagesAsync(token => repository.ListRequestsAsync(filter, 1, token, ct)));
            await Call(() => repository.ReadRequestsAfterAsync(filter, Id, 10, ct));
        }

        await Call(() => repository.GetTimelineAsync(null, 10, cancellationToken: ct));
        await Call(() => repository.GetTimelineAsync(Project, 10, cancellationToken: ct));
        await Call(() => repository.GetTimelineAsync(null, 10, "n1", ct));
        await Call(() => repository.GetTimelineAsync(Project, 10, "n1", ct));
        await TaskLifecycleAsync(repository, ct);
        await Call(() => repository.GetTaskAsync(Id, ct));
        foreach (var filter in FilterShapes.Of(() => new TaskFilter()))
        {
            await Call(() => BothPagesAsync(token => repository.ListTasksAsync(filter, 1, token, ct)));
        }

        foreach (var app in new[] { null, Project })
        {
            await Call(() => repository.GetActiveTaskAsync(Project, Target, app, ct));
            await Call(() => repository.GetLastTaskAsync(Project, Target, app, ct));
        }

        await Call(() => repository.ReadLinesAsync(Id, 0, 10, ct));
        await Call(() => repository.ReadNewLinesAsync(Id, 0, 10, ct));
        await Call(() => repository.ReapTasksAsync(Now, 10, ct));
        await Call(() => repository.ReapRequestsAsync(Now, 10, ct));
    }

    private async Task TaskLifecycleAsync(ITaskLogRepository repository, CancellationToken ct)
    {
        // Linked to its spawning entry and started; linked by request id and queued.
        await Call(() => repository.StartTaskAsync(new StartTaskRequest { Project = Project, App = Project, TargetUri = Target, SpawningEntryId = Id, IdempotencyKey = "key" }, ct));
        await Call(() => repository.StartTaskAsync(new StartTaskRequest { Project = Project, App = Project, TargetUri = Target, RequestId = "req", Queued = true }, ct));

        server.SetRow("tasks", RunningTask with { State = TaskState.Queued });
        await Call(() => repository.MarkRunningAsync(Id, ct));

        // Every change below finds the task running, with no lines and no cancel request.
        server.SetRow("tasks", RunningTask);
        await Call(() => repository.ReportProgressAsync(Id, 50, "half", ct));
        await Call(() => repository.AppendLinesAsync(Id, ["one", "two"], "key", ct));
        await Call(() => repository.AppendLinesAtAsync(Id, 1, ["one"], Project, ct));
        await Call(() => repository.RequestCancelAsync(Id, ct));
        await Call(() => repository.CompleteTaskAsync(Id, ct));
        await Call(() => repository.FailTaskAsync(Id, "E", "{}", ct));
        await Call(() => repository.ConfirmCancelAsync(Id, ct));
    }
}
