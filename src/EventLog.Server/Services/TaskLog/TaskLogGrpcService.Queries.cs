using EventLog.Storage.Core;
using EventLog.Storage.TaskLog;
using EventLog.V1;

namespace EventLog.Server.Services.TaskLog;

public sealed partial class TaskLogGrpcService
{
    /// <inheritdoc/>
    public override async Task<GetTaskResponse> GetTask(GetTaskRequest request, ServerCallContext context)
    {
        var locale = TaskLogValidation.Locale(request.Locale);
        var task = await LoadTaskAsync(context, Access.Read, request.Project, request.TaskId);
        return new GetTaskResponse { Task = Map(task, locale) };
    }

    /// <inheritdoc/>
    public override async Task<ListTasksResponse> ListTasks(ListTasksRequest request, ServerCallContext context)
    {
        var project = context.AuthorizeProjects(Access.Read, request.Project, request.AllProjects);
        var pageSize = Paging.Resolve(request.PageSize);
        var locale = TaskLogValidation.Locale(request.Locale);
        var filter = TaskLogValidation.TaskFilter(request, project);
        var page = await repository.ListTasksAsync(filter, pageSize, Paging.Token(request.PageToken), context.CancellationToken);
        var response = new ListTasksResponse { NextPageToken = page.NextPageToken ?? "" };
        response.Tasks.Add(page.Items.Select(t => Map(t, locale)));
        return response;
    }

    /// <inheritdoc/>
    public override async Task<GetActiveTaskResponse> GetActiveTask(GetActiveTaskRequest request, ServerCallContext context)
    {
        var project = context.AuthorizeProject(Access.Read, request.Project);
        var (target, app) = TaskLogValidation.Target(request.TargetUri, request.App);
        var task = await repository.GetActiveTaskAsync(project, target, app, context.CancellationToken);
        if (task is null)
        {
            Errors.NotFound($"No task is queued or running for '{target}'.");
        }

        return new GetActiveTaskResponse { Task = Map(task) };
    }

    /// <inheritdoc/>
    public override async Task<GetLastTaskResponse> GetLastTask(GetLastTaskRequest request, ServerCallContext context)
    {
        var project = context.AuthorizeProject(Access.Read, request.Project);
        var (target, app) = TaskLogValidation.Target(request.TargetUri, request.App);
        var locale = TaskLogValidation.Locale(request.Locale);
        var task = await repository.GetLastTaskAsync(project, target, app, context.CancellationToken);
        if (task is null)
        {
            Errors.NotFound($"No task of '{target}' has finished.");
        }

        return new GetLastTaskResponse { Task = Map(task, locale) };
    }

    /// <inheritdoc/>
    public override async Task<WaitTaskResponse> WaitTask(WaitTaskRequest request, ServerCallContext context)
    {
        var locale = TaskLogValidation.Locale(request.Locale);
        var task = await LoadTaskAsync(context, Access.Read, request.Project, request.TaskId);
        var stateKey = StreamKeys.TaskState(task.Id);
        try
        {
            while (!task.IsFinished)
            {
                // The version was read with the task, so a change committed since is never missed.
                await notifier.WaitForChangeAsync(stateKey, task.Version, context.CancellationToken);
                task = await repository.GetTaskAsync(task.Id, context.CancellationToken)
                    ?? throw Errors.Create(StatusCode.NotFound, "NOT_FOUND", $"Task {request.TaskId} no longer exists.");
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw DeadlineOrCancelled(context, $"Task {task.Id} is still {task.State.ToString().ToLowerInvariant()}.");
        }

        return new WaitTaskResponse { Task = Map(task, locale) };
    }

    private RpcException DeadlineOrCancelled(ServerCallContext context, string detail) =>
        context.Deadline <= clock.GetUtcNow().UtcDateTime.AddMilliseconds(50)
            ? Errors.Create(StatusCode.DeadlineExceeded, "DEADLINE_EXCEEDED", detail)
            : Errors.Create(StatusCode.Cancelled, "CANCELLED", "The call was cancelled.");
}
