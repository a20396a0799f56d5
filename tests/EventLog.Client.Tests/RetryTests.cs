using EventLog.V1;

namespace EventLog.Client.Tests;

/// <summary>A write whose response is lost after the server stored it is retried with the same request id and stored once.</summary>
public sealed class RetryTests : IAsyncLifetime
{
    private EventLogHost _server = null!;

    public async Task InitializeAsync() => _server = await SdkHost.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task StartTask_ResponseDropped_RetriedAndStoredOnce()
    {
        using var handler = new DropFirstResponseHandler("/eventlog.v1.TaskLogService/StartTask");
        var client = _server.CreateClient(TestTokens.AgentA, o => o.HttpHandler = handler);

        var started = await client.Tasks.StartTaskAsync(new StartTaskRequest { App = "kimchi", TargetUri = "/vms/retry/clone" }).WithTimeout();

        Assert.Equal(2, handler.Calls);
        var tasks = await client.Tasks.ListTasksAsync(new ListTasksRequest { TargetUriPrefix = "/vms/retry/" }).TakeAsync(10);
        Assert.Equal([started.Task.Id], tasks.Select(t => t.Id));
        var entries = await client.Tasks.ListRequestsAsync(new RequestFilter { TaskId = started.Task.Id }).TakeAsync(10);
        Assert.Single(entries, e => e.Status == 1000);
    }

    [Fact]
    public async Task RecordRequest_ResponseDropped_StoredOnce()
    {
        using var handler = new DropFirstResponseHandler("/eventlog.v1.TaskLogService/RecordRequest");
        var client = _server.CreateClient(TestTokens.AgentA, o => o.HttpHandler = handler);

        await client.Tasks.RecordRequestAsync(new RecordRequestRequest
        {
            Kind = RequestKind.Post,
            User = "admin",
            ClientIp = "10.0.0.1",
            Status = 202,
            App = "kimchi",
            MessageCode = "KCHVM0003L",
            MessageParams = { ["name"] = "vm1" },
        }).WithTimeout();

        Assert.Equal(2, handler.Calls);
        var entries = await client.Tasks.ListRequestsAsync(new RequestFilter { User = "admin", ClientIp = "10.0.0.1" }).TakeAsync(10);
        Assert.Single(entries);
    }

    [Fact]
    public async Task AppendLog_ResponseDropped_LinesStoredOnce()
    {
        using var handler = new DropFirstResponseHandler("/eventlog.v1.TaskLogService/AppendTaskLog");
        var client = _server.CreateClient(TestTokens.AgentA, o => o.HttpHandler = handler);
        var started = await client.Tasks.StartTaskAsync(new StartTaskRequest { App = "kimchi", TargetUri = "/vms/append/clone" }).WithTimeout();

        await client.Tasks.AppendLogAsync(started.Task.Id, ["a", "b", "c"], firstLineNumber: 1).WithTimeout();

        Assert.Equal(2, handler.Calls);
        var task = await client.Tasks.GetTaskAsync(started.Task.Id).WithTimeout();
        Assert.Equal(3, task.LineCount);
    }

    [Fact]
    public async Task RecordEvents_ResponseDropped_StoredOnce()
    {
        using var handler = new DropFirstResponseHandler("/eventlog.v1.ProvisioningService/RecordEvents");
        var client = _server.CreateClient(TestTokens.AgentA, o => o.HttpHandler = handler);
        var plan = await client.Provisioning.BeginAsync("cluster-retry", StepType.Creating, ["Waiting for ssh"]).WithTimeout();
        var step = await plan.StartStepAsync("Waiting for ssh", total: 3).WithTimeout();

        await step.ReportAsync("i-1", "node-1", successful: true).WithTimeout();

        Assert.Equal(2, handler.Calls);
        Assert.Equal(1, step.Step.Completed);
        var events = await client.Provisioning.ListEventsAsync(new ListEventsRequest { ClusterId = "cluster-retry" }).TakeAsync(10);
        Assert.Single(events);
    }

    [Fact]
    public async Task UnaryRead_ServerDown_FailsUnavailableAfterBoundedRetries()
    {
        var client = _server.CreateClient(TestTokens.AgentA, o => o.Retry.MaxAttempts = 3);
        await _server.StopAsync().WithTimeout();

        var ex = await Assert.ThrowsAsync<EventLogException>(() => client.Tasks.GetTaskAsync(1)).WithTimeout();

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.True(ex.IsUnavailable);
        await _server.RestartAsync().WithTimeout();
    }
}
