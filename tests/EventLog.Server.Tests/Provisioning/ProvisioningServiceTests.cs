using EventLog.V1;
using static EventLog.Server.Tests.Provisioning.ProvisioningTestData;

namespace EventLog.Server.Tests.Provisioning;

public sealed class ProvisioningServiceTests
{
    [Fact]
    public async Task Plan_StartEventsComplete_CountsAndDurationsFollowFromEvents()
    {
        await using var server = await EventLogHost.StartAsync();
        var agent = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.AgentA));
        var reader = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.ReaderA));
        var cluster = NewClusterId();

        var plan = await agent.DeclarePlanAsync(Plan(cluster, ("Launching instances", 3), ("Waiting for ssh", 3))).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal(["Launching instances", "Waiting for ssh"], plan.Steps.Select(s => s.Name));
        Assert.All(plan.Steps, s => Assert.Null(s.Successful));
        var (launch, ssh) = (plan.Steps[0].Id, plan.Steps[1].Id);

        var started = await agent.StartStepAsync(new StartStepRequest { StepId = launch }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.NotNull(started.Step.StartedAt);
        var recorded = await agent.RecordEventsAsync(Events(launch, 1, 2)).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal(2, recorded.Step.Completed);
        Assert.Null(recorded.Step.Successful);
        Assert.Equal(2, recorded.Events.Count);
        Assert.All(recorded.Events, e => Assert.NotEqual("", e.Id));
        Assert.True(recorded.Events[1].Sequence == recorded.Events[0].Sequence + 1);

        // The third of three events completes the step.
        var last = await agent.RecordEventsAsync(Events(launch, 3, 1)).ResponseAsync.WaitAsync(TestTimeout);
        Assert.True(last.Step.Successful);
        Assert.NotNull(last.Step.FinishedAt);
        Assert.NotNull(last.Step.Duration);

        await agent.StartStepAsync(new StartStepRequest { StepId = ssh, Total = 5 }).ResponseAsync.WaitAsync(TestTimeout);
        await agent.RecordEventsAsync(Events(ssh, 1, 2)).ResponseAsync.WaitAsync(TestTimeout);
        var progress = await reader.GetProgressAsync(new GetProgressRequest { ClusterId = cluster }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.True(progress.RecordingEnabled);
        Assert.Equal([launch, ssh], progress.Steps.Select(s => s.Id));
        Assert.Equal((3L, 3L, true), (progress.Steps[0].Completed, progress.Steps[0].Total, progress.Steps[0].Successful));
        Assert.Equal((2L, 5L, (bool?)null), (progress.Steps[1].Completed, progress.Steps[1].Total, progress.Steps[1].Successful));
        Assert.Equal(ssh, progress.CurrentStepId);
        Assert.Equal(["instance-0001", "instance-0002"], progress.Events.Select(e => e.InstanceId));
        Assert.True(progress.Sequence >= progress.Events[^1].Sequence);

        var completed = await agent.CompleteStepAsync(new CompleteStepRequest { StepId = ssh }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.True(completed.Step.Successful);
        var again = await agent.CompleteStepAsync(new CompleteStepRequest { StepId = ssh }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal(completed.Step.FinishedAt, again.Step.FinishedAt);
        var done = await reader.GetProgressAsync(new GetProgressRequest { ClusterId = cluster }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal("", done.CurrentStepId);
    }

    [Fact]
    public async Task FailedEvent_FailsStep_AndProgressShowsItsEvents()
    {
        await using var server = await EventLogHost.StartAsync();
        var agent = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.AgentA));
        var cluster = NewClusterId();
        var plan = await agent.DeclarePlanAsync(Plan(cluster, ("Waiting for ssh", 4))).ResponseAsync.WaitAsync(TestTimeout);
        var step = plan.Steps[0].Id;

        await agent.RecordEventsAsync(Events(step, 1, 2)).ResponseAsync.WaitAsync(TestTimeout);
        var failed = await agent.RecordEventsAsync(Events(step, 3, 1, successful: false, info: "ssh timed out")).ResponseAsync.WaitAsync(TestTimeout);
        Assert.False(failed.Step.Successful);

        // Other instances still report; the step stays failed and keeps every event.
        var later = await agent.RecordEventsAsync(Events(step, 4, 1)).ResponseAsync.WaitAsync(TestTimeout);
        Assert.False(later.Step.Successful);
        var completed = await agent.CompleteStepAsync(new CompleteStepRequest { StepId = step }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.False(completed.Step.Successful);

        var progress = await agent.GetProgressAsync(new GetProgressRequest { ClusterId = cluster }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal(step, progress.CurrentStepId);
        Assert.Equal(4, progress.Events.Count);
        var failure = Assert.Single(progress.Events, e => !e.Successful);
        Assert.Equal(("ssh timed out", "err-3"), (failure.Info, failure.ErrorId));
    }

    [Fact]
    public async Task ListEvents_FiltersAndPagesOldestFirst()
    {
        await using var server = await EventLogHost.StartAsync();
        var agent = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.AgentA));
        var cluster = NewClusterId();
        var plan = await agent.DeclarePlanAsync(Plan(cluster, ("Launching instances", 0))).ResponseAsync.WaitAsync(TestTimeout);
        var step = plan.Steps[0].Id;
        await agent.RecordEventsAsync(Events(step, 1, 10)).ResponseAsync.WaitAsync(TestTimeout);
        await agent.RecordEventsAsync(Events(step, 11, 2, successful: false)).ResponseAsync.WaitAsync(TestTimeout);

        var ids = new List<string>();
        var token = "";
        do
        {
            var page = await agent.ListEventsAsync(new ListEventsRequest { ClusterId = cluster, PageSize = 5, PageToken = token }).ResponseAsync.WaitAsync(TestTimeout);
            ids.AddRange(page.Events.Select(e => e.InstanceId));
            token = page.NextPageToken;
        }
        while (token != "");
        Assert.Equal(Enumerable.Range(1, 12).Select(i => $"instance-{i:D4}"), ids);

        var workersFailed = await agent.ListEventsAsync(new ListEventsRequest { ClusterId = cluster, NodeGroupId = "workers", Successful = false }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal(["instance-0012"], workersFailed.Events.Select(e => e.InstanceId));
        var one = await agent.ListEventsAsync(new ListEventsRequest { ClusterId = cluster, InstanceId = "instance-0007", StepId = step }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Single(one.Events);

        var first = await agent.ListEventsAsync(new ListEventsRequest { ClusterId = cluster, PageSize = 2 }).ResponseAsync.WaitAsync(TestTimeout);
        await RpcAssert.InvalidArgumentAsync("page_token", () => agent.ListEventsAsync(new ListEventsRequest { ClusterId = cluster, PageSize = 2, NodeGroupId = "workers", PageToken = first.NextPageToken }).ResponseAsync);
    }

    [Fact]
    public async Task Idempotent_DeclareAndRecord_StoreNothingTwice()
    {
        await using var server = await EventLogHost.StartAsync();
        var agent = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.AgentA));
        var cluster = NewClusterId();
        var request = Plan(cluster, ("Launching instances", 5));
        request.RequestId = "plan-1";
        var first = await agent.DeclarePlanAsync(request).ResponseAsync.WaitAsync(TestTimeout);
        var retry = await agent.DeclarePlanAsync(request).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal(first.Steps.Select(s => s.Id), retry.Steps.Select(s => s.Id));

        var events = Events(first.Steps[0].Id, 1, 2);
        events.RequestId = "batch-1";
        await agent.RecordEventsAsync(events).ResponseAsync.WaitAsync(TestTimeout);
        var again = await agent.RecordEventsAsync(events).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal(2, again.Step.Completed);
        var progress = await agent.GetProgressAsync(new GetProgressRequest { ClusterId = cluster }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Single(progress.Steps);
        Assert.Equal(2, progress.Events.Count);
    }

    [Fact]
    public async Task RecordingDisabled_AcceptsWritesAndStoresNothing()
    {
        await using var server = await EventLogHost.StartAsync([new("Provisioning:RecordingEnabled", "false")]);
        var agent = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.AgentA));
        var cluster = NewClusterId();
        var plan = await agent.DeclarePlanAsync(Plan(cluster, ("Launching instances", 5))).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal("Launching instances", plan.Steps[0].Name);
        var step = plan.Steps[0].Id;
        Assert.False(string.IsNullOrEmpty(step));
        await agent.StartStepAsync(new StartStepRequest { StepId = step, Total = 5 }).ResponseAsync.WaitAsync(TestTimeout);
        await agent.RecordEventsAsync(Events(step, 1, 1)).ResponseAsync.WaitAsync(TestTimeout);
        await agent.CompleteStepAsync(new CompleteStepRequest { StepId = step }).ResponseAsync.WaitAsync(TestTimeout);

        var progress = await agent.GetProgressAsync(new GetProgressRequest { ClusterId = cluster }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.False(progress.RecordingEnabled);
        Assert.Empty(progress.Steps);
    }
}
