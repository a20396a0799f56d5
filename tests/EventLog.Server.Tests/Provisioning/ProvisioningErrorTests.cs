using EventLog.V1;
using static EventLog.Server.Tests.Provisioning.ProvisioningTestData;

namespace EventLog.Server.Tests.Provisioning;

public sealed class ProvisioningErrorTests
{
    [Fact]
    public async Task UnknownClusterOrStep_IsNotFound_AndOtherProjectsLookTheSame()
    {
        await using var server = await EventLogHost.StartAsync();
        var agentA = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.AgentA));
        var agentB = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.AgentB));
        var readerB = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.ReaderB));
        var cluster = NewClusterId();
        var plan = await agentA.DeclarePlanAsync(Plan(cluster, ("Launching instances", 1))).ResponseAsync.WaitAsync(TestTimeout);
        var step = plan.Steps[0].Id;

        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => agentA.GetProgressAsync(new GetProgressRequest { ClusterId = "no-such-cluster" }).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => agentA.ListEventsAsync(new ListEventsRequest { ClusterId = "no-such-cluster" }).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => agentA.StartStepAsync(new StartStepRequest { StepId = "999999" }).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => agentA.RecordEventsAsync(Events("999999", 1, 1)).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => agentA.CompleteStepAsync(new CompleteStepRequest { StepId = "999999" }).ResponseAsync);
        using (var watch = agentA.WatchProgress(new WatchProgressRequest { ClusterId = "no-such-cluster" }))
        {
            await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => watch.ResponseStream.MoveNext(CancellationToken.None));
        }

        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => readerB.GetProgressAsync(new GetProgressRequest { ClusterId = cluster }).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => agentB.RecordEventsAsync(Events(step, 1, 1)).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => agentB.DeclarePlanAsync(Plan(cluster, ("Scaling", 1))).ResponseAsync);
        var readerA = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.ReaderA));
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => readerA.RecordEventsAsync(Events(step, 1, 1)).ResponseAsync);
    }

    [Fact]
    public async Task EventsForCompletedStep_AreFailedPrecondition()
    {
        await using var server = await EventLogHost.StartAsync();
        var agent = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.AgentA));
        var plan = await agent.DeclarePlanAsync(Plan(NewClusterId(), ("Launching instances", 0))).ResponseAsync.WaitAsync(TestTimeout);
        var step = plan.Steps[0].Id;
        await agent.RecordEventsAsync(Events(step, 1, 1)).ResponseAsync.WaitAsync(TestTimeout);
        await agent.CompleteStepAsync(new CompleteStepRequest { StepId = step }).ResponseAsync.WaitAsync(TestTimeout);
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => agent.RecordEventsAsync(Events(step, 2, 1)).ResponseAsync);
    }

    [Fact]
    public async Task MalformedFields_AreInvalidArgumentNamingTheField()
    {
        await using var server = await EventLogHost.StartAsync([new("Provisioning:MaxEventsPerBatch", "3")]);
        var agent = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.AgentA));
        var cluster = NewClusterId();
        await RpcAssert.InvalidArgumentAsync("cluster_id", () => agent.DeclarePlanAsync(Plan("", ("a", 1))).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("steps", () => agent.DeclarePlanAsync(Plan(cluster)).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("steps[1].name", () => agent.DeclarePlanAsync(Plan(cluster, ("a", 1), ("a", 1))).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("steps[0].total", () => agent.DeclarePlanAsync(Plan(cluster, ("a", -1))).ResponseAsync);
        var noType = Plan(cluster, ("a", 1));
        noType.StepType = StepType.Unspecified;
        await RpcAssert.InvalidArgumentAsync("step_type", () => agent.DeclarePlanAsync(noType).ResponseAsync);
        noType.StepType = (StepType)42;
        await RpcAssert.InvalidArgumentAsync("step_type", () => agent.DeclarePlanAsync(noType).ResponseAsync);

        var plan = await agent.DeclarePlanAsync(Plan(cluster, ("a", 1))).ResponseAsync.WaitAsync(TestTimeout);
        await RpcAssert.InvalidArgumentAsync("step_id", () => agent.StartStepAsync(new StartStepRequest { StepId = "abc" }).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("step_id", () => agent.CompleteStepAsync(new CompleteStepRequest()).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("total", () => agent.StartStepAsync(new StartStepRequest { StepId = plan.Steps[0].Id, Total = -2 }).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("events", () => agent.RecordEventsAsync(new RecordEventsRequest { StepId = plan.Steps[0].Id }).ResponseAsync);
        var longName = Events(plan.Steps[0].Id, 1, 1);
        longName.Events[0].InstanceName = new string('x', 300);
        await RpcAssert.InvalidArgumentAsync("events[0].instance_name", () => agent.RecordEventsAsync(longName).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.ResourceExhausted, () => agent.RecordEventsAsync(Events(plan.Steps[0].Id, 1, 4)).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("page_size", () => agent.ListEventsAsync(new ListEventsRequest { ClusterId = cluster, PageSize = -1 }).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("cluster_id", () => agent.ListEventsAsync(new ListEventsRequest()).ResponseAsync);
        using var watch = agent.WatchProgress(new WatchProgressRequest { ClusterId = cluster, AfterSequence = -1 });
        await RpcAssert.InvalidArgumentAsync("after_sequence", () => watch.ResponseStream.MoveNext(CancellationToken.None));
    }

    [Fact]
    public async Task StalledStep_IsReported()
    {
        await using var server = await EventLogHost.StartAsync([new("Provisioning:StallAfter", "00:00:00.300")]);
        var agent = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.AgentA));
        var cluster = NewClusterId();
        var plan = await agent.DeclarePlanAsync(Plan(cluster, ("Waiting for ssh", 10))).ResponseAsync.WaitAsync(TestTimeout);
        var recorded = await agent.RecordEventsAsync(Events(plan.Steps[0].Id, 1, 1)).ResponseAsync.WaitAsync(TestTimeout);
        Assert.False(recorded.Step.Stalled);

        using var cts = new CancellationTokenSource(TestTimeout);
        using var watch = agent.WatchProgress(new WatchProgressRequest { ClusterId = cluster, AfterSequence = recorded.Events[0].Sequence }, cancellationToken: cts.Token);
        var update = await watch.ResponseStream.NextAsync(cts.Token);
        Assert.True(update.Step?.Stalled, $"Expected a stalled step update, got {update}");
        Assert.Equal(recorded.Events[0].Sequence, update.Sequence);

        var progress = await agent.GetProgressAsync(new GetProgressRequest { ClusterId = cluster }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.True(progress.Steps[0].Stalled);
        var live = await agent.RecordEventsAsync(Events(plan.Steps[0].Id, 2, 1)).ResponseAsync.WaitAsync(TestTimeout);
        Assert.False(live.Step.Stalled);
    }

    [Fact]
    public async Task SuccessfulStepEvents_AreCompacted_FailedStepKeepsThem_WatchReportsReset()
    {
        await using var server = await EventLogHost.StartAsync([
            new("Storage:Retention:ProvisioningCompactionDelay", "00:00:00.050"),
            new("Storage:Retention:ReapInterval", "00:00:00.100"),
        ]);
        var agent = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.AgentA));
        var cluster = NewClusterId();
        var plan = await agent.DeclarePlanAsync(Plan(cluster, ("Launching instances", 3), ("Waiting for ssh", 3))).ResponseAsync.WaitAsync(TestTimeout);
        var ok = await agent.RecordEventsAsync(Events(plan.Steps[0].Id, 1, 3)).ResponseAsync.WaitAsync(TestTimeout);
        Assert.True(ok.Step.Successful);
        await agent.RecordEventsAsync(Events(plan.Steps[1].Id, 1, 2)).ResponseAsync.WaitAsync(TestTimeout);
        await agent.RecordEventsAsync(Events(plan.Steps[1].Id, 3, 1, successful: false)).ResponseAsync.WaitAsync(TestTimeout);

        GetProgressResponse progress;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            await Task.Delay(100);
            progress = await agent.GetProgressAsync(new GetProgressRequest { ClusterId = cluster }).ResponseAsync.WaitAsync(TestTimeout);
        }
        while (!progress.Steps[0].EventsCompacted && waited.Elapsed < TestTimeout);

        Assert.True(progress.Steps[0].EventsCompacted);
        Assert.Equal((3L, true), (progress.Steps[0].Completed, progress.Steps[0].Successful));
        Assert.False(progress.Steps[1].EventsCompacted);
        Assert.False(progress.Steps[1].Successful);
        var all = await agent.ListEventsAsync(new ListEventsRequest { ClusterId = cluster }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.All(all.Events, e => Assert.Equal(plan.Steps[1].Id, e.StepId));
        Assert.Equal(3, all.Events.Count);

        // Replaying from before the compacted events says so instead of skipping silently.
        using var cts = new CancellationTokenSource(TestTimeout);
        using var watch = agent.WatchProgress(new WatchProgressRequest { ClusterId = cluster, AfterSequence = ok.Events[0].Sequence - 1 }, cancellationToken: cts.Token);
        var first = await watch.ResponseStream.NextAsync(cts.Token);
        Assert.True(first.Reset);
        Assert.Equal(first.Sequence, first.OldestAvailableSequence);
        Assert.True(first.Sequence > ok.Events[^1].Sequence);
    }
}
