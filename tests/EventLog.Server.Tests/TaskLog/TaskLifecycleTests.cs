using EventLog.V1;
using static EventLog.Server.Tests.TaskLog.TaskLogTestKit;

namespace EventLog.Server.Tests.TaskLog;

public sealed class TaskLifecycleTests
{
    [Fact]
    public async Task StartProgressComplete_RecordsTaskEntries()
    {
        await using var kit = await StartAsync();
        var start = await kit.Agent.StartTaskAsync(new StartTaskRequest { App = "kimchi", TargetUri = "/plugins/kimchi/vms/name/clone", RequestId = "start-1" }, deadline: Deadline);
        Assert.Equal(TaskState.Running, start.Task.State);
        Assert.Equal(1000, start.Entry.Status);
        Assert.Equal(RequestKind.Task, start.Entry.Kind);
        Assert.Equal($"Started Kimchi task ID {start.Task.Id}: /plugins/kimchi/vms/name/clone", start.Entry.Message);

        var retry = await kit.Agent.StartTaskAsync(new StartTaskRequest { App = "kimchi", TargetUri = "/plugins/kimchi/vms/name/clone", RequestId = "start-1" }, deadline: Deadline);
        Assert.Equal(start.Task.Id, retry.Task.Id);

        var progress = await kit.Agent.ReportTaskProgressAsync(new ReportTaskProgressRequest { TaskId = start.Task.Id, ProgressPercent = 40, ProgressMessage = "copying disk 1 of 2" }, deadline: Deadline);
        Assert.Equal(40, progress.Task.ProgressPercent);
        Assert.True(progress.Task.Version > start.Task.Version);

        var done = await kit.Agent.CompleteTaskAsync(new CompleteTaskRequest { TaskId = start.Task.Id }, deadline: Deadline);
        Assert.Equal(TaskState.Succeeded, done.Task.State);
        Assert.Equal(100, done.Task.ProgressPercent);
        Assert.NotNull(done.Task.FinishedAt);
        Assert.NotNull(done.Task.Duration);
        Assert.Equal(1001, done.Entry.Status);
        Assert.Equal($"Successfully completed Kimchi task ID {start.Task.Id}: /plugins/kimchi/vms/name/clone", done.Entry.Message);

        var again = await kit.Agent.CompleteTaskAsync(new CompleteTaskRequest { TaskId = start.Task.Id }, deadline: Deadline);
        Assert.Equal(done.Task.Version, again.Task.Version);
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => kit.Agent.FailTaskAsync(new FailTaskRequest { TaskId = start.Task.Id, DetailCode = "KCHVM0001E" }, deadline: Deadline).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => kit.Member.CancelTaskAsync(new CancelTaskRequest { TaskId = start.Task.Id }, deadline: Deadline).ResponseAsync);
    }

    [Fact]
    public async Task FailTask_RendersDetailInTaskAndEntry()
    {
        await using var kit = await StartAsync();
        var task = await kit.StartTaskAsync("/plugins/kimchi/vms/name/clone");
        var fail = new FailTaskRequest { TaskId = task.Id, DetailCode = "KCHVM0001E" };
        fail.DetailParams["vm"] = "name";
        var failed = await kit.Agent.FailTaskAsync(fail, deadline: Deadline);

        Assert.Equal(TaskState.Failed, failed.Task.State);
        Assert.Equal("failed to clone vm 'name'", failed.Task.DetailMessage);
        Assert.Equal($"Failure on Kimchi task ID {task.Id}: /plugins/kimchi/vms/name/clone (KCHVM0001E failed to clone vm 'name')", failed.Entry.Message);
        var read = await kit.Reader.GetTaskAsync(new GetTaskRequest { TaskId = task.Id, Locale = "pt-BR" }, deadline: Deadline);
        Assert.Equal("falha ao clonar a vm 'name'", read.Task.DetailMessage);
    }

    [Fact]
    public async Task QueuedTask_RunsOnFirstProgress_AndCancelsAtOnce()
    {
        await using var kit = await StartAsync();
        var queued = await kit.StartTaskAsync("/a", queued: true);
        Assert.Equal(TaskState.Queued, queued.State);
        var running = await kit.Agent.ReportTaskProgressAsync(new ReportTaskProgressRequest { TaskId = queued.Id, ProgressPercent = 1 }, deadline: Deadline);
        Assert.Equal(TaskState.Running, running.Task.State);
        Assert.NotNull(running.Task.StartedAt);

        var other = await kit.StartTaskAsync("/b", queued: true);
        var cancelled = await kit.Member.CancelTaskAsync(new CancelTaskRequest { TaskId = other.Id }, deadline: Deadline);
        Assert.Equal(TaskState.Cancelled, cancelled.Task.State);
        Assert.False(cancelled.Task.CancelRequested);
    }

    [Fact]
    public async Task ConfirmWithoutCancelRequest_IsFailedPrecondition_AndAgentsCannotCancel()
    {
        await using var kit = await StartAsync();
        var task = await kit.StartTaskAsync();
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => kit.Agent.ConfirmTaskCancelledAsync(new ConfirmTaskCancelledRequest { TaskId = task.Id }, deadline: Deadline).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => kit.Agent.CancelTaskAsync(new CancelTaskRequest { TaskId = task.Id }, deadline: Deadline).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => kit.Reader.CancelTaskAsync(new CancelTaskRequest { TaskId = task.Id }, deadline: Deadline).ResponseAsync);
    }

    [Fact]
    public async Task UnknownOrForeignTask_IsNotFound()
    {
        await using var kit = await StartAsync();
        var task = await kit.StartTaskAsync();
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => kit.Reader.GetTaskAsync(new GetTaskRequest { TaskId = 424242 }, deadline: Deadline).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => kit.ReaderB.GetTaskAsync(new GetTaskRequest { TaskId = task.Id }, deadline: Deadline).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => kit.Agent.CompleteTaskAsync(new CompleteTaskRequest { TaskId = 424242 }, deadline: Deadline).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => kit.Admin.GetTaskAsync(new GetTaskRequest { TaskId = task.Id, Project = TestTokens.ProjectB }, deadline: Deadline).ResponseAsync);
        Assert.Equal(task.Id, (await kit.Admin.GetTaskAsync(new GetTaskRequest { TaskId = task.Id }, deadline: Deadline)).Task.Id);
        await RpcAssert.InvalidArgumentAsync("task_id", () => kit.Reader.GetTaskAsync(new GetTaskRequest(), deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("app", () => kit.Agent.StartTaskAsync(new StartTaskRequest { TargetUri = "/x" }, deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("target_uri", () => kit.Agent.StartTaskAsync(new StartTaskRequest { App = "kimchi" }, deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("progress_percent", () => kit.Agent.ReportTaskProgressAsync(new ReportTaskProgressRequest { TaskId = task.Id, ProgressPercent = 101 }, deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("detail_code", () => kit.Agent.FailTaskAsync(new FailTaskRequest { TaskId = task.Id, DetailCode = "NOPE" }, deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("detail_code", () => kit.Agent.FailTaskAsync(new FailTaskRequest { TaskId = task.Id }, deadline: Deadline).ResponseAsync);
    }

    [Fact]
    public async Task ActiveAndLast_OfAnApp_AreFound_WhenTheTargetsNewestTaskIsAnotherApps()
    {
        await using var kit = await StartAsync();
        const string target = "/hosts/h1/update";
        var kimchi = await kit.StartTaskAsync(target);
        var gingerDone = (await kit.Agent.StartTaskAsync(new StartTaskRequest { App = "ginger", TargetUri = target }, deadline: Deadline)).Task;
        await kit.Agent.CompleteTaskAsync(new CompleteTaskRequest { TaskId = gingerDone.Id }, deadline: Deadline);
        await kit.Agent.StartTaskAsync(new StartTaskRequest { App = "ginger", TargetUri = target }, deadline: Deadline);

        var active = await kit.Reader.GetActiveTaskAsync(new GetActiveTaskRequest { TargetUri = target, App = "kimchi" }, deadline: Deadline);
        Assert.Equal(kimchi.Id, active.Task.Id);
        await kit.Agent.CompleteTaskAsync(new CompleteTaskRequest { TaskId = kimchi.Id }, deadline: Deadline);
        var last = await kit.Reader.GetLastTaskAsync(new GetLastTaskRequest { TargetUri = target, App = "kimchi" }, deadline: Deadline);
        Assert.Equal(kimchi.Id, last.Task.Id);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => kit.Reader.GetActiveTaskAsync(new GetActiveTaskRequest { TargetUri = target, App = "kimchi" }, deadline: Deadline).ResponseAsync);
    }

    [Fact]
    public async Task ListTasks_ActiveAndLast_ForATarget()
    {
        await using var kit = await StartAsync();
        var first = await kit.StartTaskAsync("/plugins/kimchi/vms/a/clone");
        await kit.Agent.CompleteTaskAsync(new CompleteTaskRequest { TaskId = first.Id }, deadline: Deadline);
        var second = await kit.StartTaskAsync("/plugins/kimchi/vms/a/clone");
        await kit.StartTaskAsync("/plugins/gingerbase/host/swupdate");

        var active = await kit.Reader.GetActiveTaskAsync(new GetActiveTaskRequest { TargetUri = "/plugins/kimchi/vms/a/clone" }, deadline: Deadline);
        Assert.Equal(second.Id, active.Task.Id);
        var last = await kit.Reader.GetLastTaskAsync(new GetLastTaskRequest { TargetUri = "/plugins/kimchi/vms/a/clone" }, deadline: Deadline);
        Assert.Equal(first.Id, last.Task.Id);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => kit.Reader.GetLastTaskAsync(new GetLastTaskRequest { TargetUri = "/nothing" }, deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("target_uri", () => kit.Reader.GetActiveTaskAsync(new GetActiveTaskRequest(), deadline: Deadline).ResponseAsync);

        var running = await kit.Reader.ListTasksAsync(new ListTasksRequest { State = TaskState.Running, TargetUriPrefix = "/plugins/kimchi/" }, deadline: Deadline);
        Assert.Equal([second.Id], running.Tasks.Select(t => t.Id));
        var all = await kit.Reader.ListTasksAsync(new ListTasksRequest { PageSize = 2 }, deadline: Deadline);
        Assert.Equal(2, all.Tasks.Count);
        var rest = await kit.Reader.ListTasksAsync(new ListTasksRequest { PageSize = 2, PageToken = all.NextPageToken }, deadline: Deadline);
        Assert.Equal([first.Id], rest.Tasks.Select(t => t.Id));
        Assert.Equal("", rest.NextPageToken);
        await RpcAssert.InvalidArgumentAsync("page_token", () => kit.Reader.ListTasksAsync(new ListTasksRequest { PageSize = 2, PageToken = all.NextPageToken, App = "ginger" }, deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("state", () => kit.Reader.ListTasksAsync(new ListTasksRequest { State = (TaskState)77 }, deadline: Deadline).ResponseAsync);
    }

    [Fact]
    public async Task WaitTask_ReturnsPromptlyOnCompletion()
    {
        await using var kit = await StartAsync();
        var task = await kit.StartTaskAsync();
        var wait = kit.Reader.WaitTaskAsync(new WaitTaskRequest { TaskId = task.Id }, deadline: Deadline).ResponseAsync;
        await Task.Delay(300);
        Assert.False(wait.IsCompleted);

        var completedAt = DateTime.UtcNow;
        await kit.Agent.CompleteTaskAsync(new CompleteTaskRequest { TaskId = task.Id }, deadline: Deadline);
        var done = await wait.WaitAsync(CallTimeout);
        Assert.Equal(TaskState.Succeeded, done.Task.State);
        Assert.True(DateTime.UtcNow - completedAt < TimeSpan.FromSeconds(2), "WaitTask should return right after completion.");
    }

    [Fact]
    public async Task WaitTask_AtTheDeadline_IsDeadlineExceeded()
    {
        await using var kit = await StartAsync();
        var task = await kit.StartTaskAsync();
        var started = DateTime.UtcNow;
        await RpcAssert.ThrowsAsync(StatusCode.DeadlineExceeded, () => kit.Reader.WaitTaskAsync(new WaitTaskRequest { TaskId = task.Id }, deadline: DateTime.UtcNow.AddMilliseconds(500)).ResponseAsync);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }
}
