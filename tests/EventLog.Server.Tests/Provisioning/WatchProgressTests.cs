using EventLog.V1;
using static EventLog.Server.Tests.Provisioning.ProvisioningTestData;

namespace EventLog.Server.Tests.Provisioning;

public sealed class WatchProgressTests
{
    [Fact]
    public async Task Watch_StartedMidOperation_GetsBacklogThenLive_NoGapNoDuplicate_AndResumeGetsExactlyTheRest()
    {
        // Heartbeats every 100 ms interleave with the events, as they would on a slow machine.
        await using var server = await EventLogHost.StartAsync([new("Provisioning:HeartbeatInterval", "00:00:00.100")]);
        var agent = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.AgentA));
        var reader = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.ReaderA));
        var cluster = NewClusterId();
        var plan = await agent.DeclarePlanAsync(Plan(cluster, ("Launching instances", 20), ("Waiting for ssh", 20))).ResponseAsync.WaitAsync(TestTimeout);
        await agent.RecordEventsAsync(Events(plan.Steps[0].Id, 1, 5)).ResponseAsync.WaitAsync(TestTimeout);

        using var cts = new CancellationTokenSource(TestTimeout);
        using var watch = reader.WatchProgress(new WatchProgressRequest { ClusterId = cluster }, cancellationToken: cts.Token);

        // Live writes race with the backlog replay on purpose.
        var writer = Task.Run(async () =>
        {
            for (var i = 6; i <= 20; i++)
            {
                await agent.RecordEventsAsync(Events(plan.Steps[0].Id, i, 1)).ResponseAsync.WaitAsync(TestTimeout);
            }

            for (var i = 1; i <= 20; i += 4)
            {
                await agent.RecordEventsAsync(Events(plan.Steps[1].Id, i, 4)).ResponseAsync.WaitAsync(TestTimeout);
            }
        });

        var received = new List<WatchProgressResponse>();
        // 2 declared + per step: started, 20 events, finished.
        while (received.Count < 2 + (2 * 22))
        {
            var message = await watch.ResponseStream.NextAsync(cts.Token);
            Assert.False(message.Reset);
            if (message.UpdateCase != WatchProgressResponse.UpdateOneofCase.Heartbeat)
            {
                received.Add(message);
            }
        }

        await writer.WaitAsync(TestTimeout);
        var sequences = received.Select(m => m.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
        var instanceEvents = received.Where(m => m.Event is not null).Select(m => (m.Event.StepId, m.Event.InstanceId)).ToList();
        Assert.Equal(40, instanceEvents.Count);
        Assert.Equal(40, instanceEvents.Distinct().Count());
        Assert.Contains(received, m => m.Step is { Successful: true } s && s.Id == plan.Steps[0].Id);

        // Resuming from a middle sequence gets exactly the rest (heartbeats aside), and then nothing more.
        var middle = sequences[sequences.Count / 2];
        using var resumed = reader.WatchProgress(new WatchProgressRequest { ClusterId = cluster, AfterSequence = middle }, cancellationToken: cts.Token);
        var rest = new List<long>();
        while (rest.Count < sequences.Count - (int)middle)
        {
            var message = await resumed.ResponseStream.NextAsync(cts.Token);
            Assert.False(message.Reset);
            if (message.UpdateCase != WatchProgressResponse.UpdateOneofCase.Heartbeat)
            {
                rest.Add(message.Sequence);
            }
        }

        Assert.Equal(sequences.Skip((int)middle), rest);
        await AssertNothingButHeartbeatsAsync(resumed.ResponseStream, TimeSpan.FromMilliseconds(300), sequences[^1]);
    }

    [Fact]
    public async Task Watch_FromSnapshotSequence_ContinuesWithNoGap()
    {
        await using var server = await EventLogHost.StartAsync();
        var agent = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.AgentA));
        var cluster = NewClusterId();
        var plan = await agent.DeclarePlanAsync(Plan(cluster, ("Launching instances", 10))).ResponseAsync.WaitAsync(TestTimeout);
        await agent.RecordEventsAsync(Events(plan.Steps[0].Id, 1, 3)).ResponseAsync.WaitAsync(TestTimeout);
        var snapshot = await agent.GetProgressAsync(new GetProgressRequest { ClusterId = cluster }).ResponseAsync.WaitAsync(TestTimeout);

        using var cts = new CancellationTokenSource(TestTimeout);
        using var watch = agent.WatchProgress(new WatchProgressRequest { ClusterId = cluster, AfterSequence = snapshot.Sequence }, cancellationToken: cts.Token);
        var recorded = await agent.RecordEventsAsync(Events(plan.Steps[0].Id, 4, 1)).ResponseAsync.WaitAsync(TestTimeout);
        var next = await watch.ResponseStream.NextAsync(cts.Token);
        while (next.UpdateCase == WatchProgressResponse.UpdateOneofCase.Heartbeat)
        {
            Assert.Equal(snapshot.Sequence, next.Sequence);
            next = await watch.ResponseStream.NextAsync(cts.Token);
        }

        Assert.Equal(snapshot.Sequence + 1, next.Sequence);
        Assert.Equal(recorded.Events[0].Id, next.Event.Id);
    }

    [Fact]
    public async Task Watch_SendsHeartbeatsWhenIdle_AndEndsCleanlyOnCancel()
    {
        await using var server = await EventLogHost.StartAsync([new("Provisioning:HeartbeatInterval", "00:00:00.200")]);
        var agent = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.AgentA));
        var cluster = NewClusterId();
        await agent.DeclarePlanAsync(Plan(cluster, ("Launching instances", 1))).ResponseAsync.WaitAsync(TestTimeout);

        using var cts = new CancellationTokenSource(TestTimeout);
        using var watch = agent.WatchProgress(new WatchProgressRequest { ClusterId = cluster }, cancellationToken: cts.Token);
        Assert.NotNull((await watch.ResponseStream.NextAsync(cts.Token)).Step);
        var heartbeat = await watch.ResponseStream.NextAsync(cts.Token);
        Assert.Equal(WatchProgressResponse.UpdateOneofCase.Heartbeat, heartbeat.UpdateCase);
        Assert.Equal(1, heartbeat.Sequence);
        Assert.NotNull(heartbeat.Heartbeat.ServerTime);

        await cts.CancelAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeout));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);

        // The server is still healthy after the cancelled stream.
        await agent.GetProgressAsync(new GetProgressRequest { ClusterId = cluster }).ResponseAsync.WaitAsync(TestTimeout);
    }

    [Fact]
    public async Task Watch_EndsWhenServerStops()
    {
        await using var server = await EventLogHost.StartAsync();
        var agent = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.AgentA));
        var cluster = NewClusterId();
        await agent.DeclarePlanAsync(Plan(cluster, ("Launching instances", 1))).ResponseAsync.WaitAsync(TestTimeout);
        using var cts = new CancellationTokenSource(TestTimeout);
        using var watch = agent.WatchProgress(new WatchProgressRequest { ClusterId = cluster }, cancellationToken: cts.Token);
        await watch.ResponseStream.NextAsync(cts.Token);

        await server.StopAsync().WaitAsync(TestTimeout);
        try
        {
            Assert.False(await watch.ResponseStream.MoveNext(cts.Token).WaitAsync(TestTimeout));
        }
        catch (RpcException ex)
        {
            Assert.NotEqual(StatusCode.DeadlineExceeded, ex.StatusCode);
        }
    }

    /// <summary>
    /// Reads the stream for <paramref name="window"/> and fails on anything but a heartbeat at <paramref name="sequence"/>.
    /// The window ends by cancelling the call, which the client reports as CANCELLED.
    /// </summary>
    [Fact]
    public async Task Watch_ReplayOfAFinishedStep_ShowsEachStepChangeAsItWasAtItsRow()
    {
        // A watcher behind the writers must not see a step finished before the events that came first (a CLI
        // watch ends at the first "all steps finished" message and would drop them).
        await using var server = await EventLogHost.StartAsync();
        var agent = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.AgentA));
        var reader = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.ReaderA));
        var cluster = NewClusterId();
        var plan = await agent.DeclarePlanAsync(Plan(cluster, ("Launching instances", 2))).ResponseAsync.WaitAsync(TestTimeout);
        await agent.RecordEventsAsync(Events(plan.Steps[0].Id, 1, 1)).ResponseAsync.WaitAsync(TestTimeout);
        await agent.RecordEventsAsync(Events(plan.Steps[0].Id, 2, 1)).ResponseAsync.WaitAsync(TestTimeout);

        using var cts = new CancellationTokenSource(TestTimeout);
        using var watch = reader.WatchProgress(new WatchProgressRequest { ClusterId = cluster }, cancellationToken: cts.Token);
        var received = new List<WatchProgressResponse>();
        while (received.Count < 5)
        {
            var message = await watch.ResponseStream.NextAsync(cts.Token);
            if (message.UpdateCase != WatchProgressResponse.UpdateOneofCase.Heartbeat)
            {
                received.Add(message);
            }
        }

        Assert.Equal(
            [WatchProgressResponse.UpdateOneofCase.Step, WatchProgressResponse.UpdateOneofCase.Step, WatchProgressResponse.UpdateOneofCase.Event, WatchProgressResponse.UpdateOneofCase.Event, WatchProgressResponse.UpdateOneofCase.Step],
            received.Select(m => m.UpdateCase));
        var (declared, started, finished) = (received[0].Step, received[1].Step, received[4].Step);
        Assert.Null(declared.StartedAt);
        Assert.Null(declared.Successful);
        Assert.Equal(0, declared.Completed);
        Assert.NotNull(started.StartedAt);
        Assert.Null(started.Successful);
        Assert.Null(started.FinishedAt);
        Assert.Equal(0, started.Completed);
        Assert.Equal(2, started.Total);
        Assert.True(finished.Successful);
        Assert.NotNull(finished.FinishedAt);
        Assert.Equal(2, finished.Completed);
        Assert.All(received.Where(m => m.Step is not null), m => Assert.False(m.Step.Stalled));
    }

    private static async Task AssertNothingButHeartbeatsAsync(IAsyncStreamReader<WatchProgressResponse> stream, TimeSpan window, long sequence)
    {
        using var quiet = new CancellationTokenSource(window);
        try
        {
            while (await stream.MoveNext(quiet.Token).WaitAsync(TestTimeout))
            {
                var message = stream.Current;
                Assert.True(message.UpdateCase == WatchProgressResponse.UpdateOneofCase.Heartbeat, $"Nothing more was expected, got {message}");
                Assert.Equal(sequence, message.Sequence);
            }

            Assert.Fail("A watch must not end while the cluster is still there.");
        }
        catch (Exception ex) when (quiet.IsCancellationRequested && ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // The window closed with nothing but heartbeats.
        }
    }
}
