using EventLog.Storage.TaskLog;
using EventLog.V1;

namespace EventLog.Server.Services.TaskLog;

public sealed partial class TaskLogGrpcService
{
    /// <inheritdoc/>
    public override async Task<StartTaskResponse> StartTask(V1.StartTaskRequest request, ServerCallContext context)
    {
        var project = context.AuthorizeProject(Access.Write, request.Project);
        var start = TaskLogValidation.StartTask(request, project);
        var task = await repository.StartTaskAsync(start, context.CancellationToken);
        LogTaskStarted(logger, task.Id, task.App, task.TargetUri, task.Project);
        var response = new StartTaskResponse { Task = Map(task) };
        if (!task.IsFinished && task.State == Storage.TaskLog.TaskState.Running)
        {
            response.Entry = await TaskEntryAsync(task, TaskStatusCodes.Started, context);
        }

        return response;
    }

    /// <inheritdoc/>
    public override async Task<ReportTaskProgressResponse> ReportTaskProgress(ReportTaskProgressRequest request, ServerCallContext context)
    {
        var message = TaskLogValidation.Progress(request);
        var task = await LoadTaskAsync(context, Access.Write, request.Project, request.TaskId);
        if (task.State == Storage.TaskLog.TaskState.Queued)
        {
            await repository.MarkRunningAsync(task.Id, context.CancellationToken);
        }

        task = await repository.ReportProgressAsync(task.Id, request.ProgressPercent, message, context.CancellationToken);
        return new ReportTaskProgressResponse { Task = Map(task) };
    }

    /// <inheritdoc/>
    public override async Task<CompleteTaskResponse> CompleteTask(CompleteTaskRequest request, ServerCallContext context)
    {
        var task = await LoadTaskAsync(context, Access.Write, request.Project, request.TaskId);
        task = await repository.CompleteTaskAsync(task.Id, context.CancellationToken);
        LogTaskFinished(logger, task.Id, task.State);
        return new CompleteTaskResponse { Task = Map(task), Entry = await TaskEntryAsync(task, TaskStatusCodes.Succeeded, context) };
    }

    /// <inheritdoc/>
    public override async Task<FailTaskResponse> FailTask(FailTaskRequest request, ServerCallContext context)
    {
        var (detailCode, detailParams) = TaskLogValidation.Failure(request, catalog.RequestMessages, _options);
        var task = await LoadTaskAsync(context, Access.Write, request.Project, request.TaskId);
        task = await repository.FailTaskAsync(task.Id, detailCode, detailParams, context.CancellationToken);
        LogTaskFinished(logger, task.Id, task.State);
        return new FailTaskResponse { Task = Map(task), Entry = await TaskEntryAsync(task, TaskStatusCodes.Failed, context) };
    }

    /// <inheritdoc/>
    public override async Task<CancelTaskResponse> CancelTask(CancelTaskRequest request, ServerCallContext context)
    {
        var task = await LoadTaskAsync(context, Access.Manage, request.Project, request.TaskId);
        task = await repository.RequestCancelAsync(task.Id, context.CancellationToken);
        LogCancelRequested(logger, task.Id);
        if (task.State == Storage.TaskLog.TaskState.Queued)
        {
            // Nothing runs it yet, so there is no worker to confirm.
            task = await repository.ConfirmCancelAsync(task.Id, context.CancellationToken);
        }

        return new CancelTaskResponse { Task = Map(task) };
    }

    /// <inheritdoc/>
    public override async Task<ConfirmTaskCancelledResponse> ConfirmTaskCancelled(ConfirmTaskCancelledRequest request, ServerCallContext context)
    {
        var task = await LoadTaskAsync(context, Access.Write, request.Project, request.TaskId);
        if (task.State != Storage.TaskLog.TaskState.Cancelled && !task.CancelRequested)
        {
            Errors.FailedPrecondition($"Task {task.Id} has no cancel request; complete or fail it instead.");
        }

        task = await repository.ConfirmCancelAsync(task.Id, context.CancellationToken);
        LogTaskFinished(logger, task.Id, task.State);
        return new ConfirmTaskCancelledResponse { Task = Map(task), Entry = await TaskEntryAsync(task, TaskStatusCodes.Cancelled, context) };
    }

    /// <summary>The TASK entry a lifecycle step recorded (the newest with that status, on a retry the first).</summary>
    private async Task<RequestEntry?> TaskEntryAsync(TaskInfo task, int status, ServerCallContext context)
    {
        var filter = new RequestLogFilter { Project = task.Project, TaskId = task.Id, Kind = TaskStatusCodes.TaskKind, Status = status };
        var page = await repository.ListRequestsAsync(filter, 1, null, context.CancellationToken);
        return page.Items.Count == 0 ? null : Map(page.Items[0]);
    }
}
