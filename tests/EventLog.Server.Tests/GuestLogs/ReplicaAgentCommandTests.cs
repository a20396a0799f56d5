using System.Diagnostics;
using System.Text;
using EventLog.V1;
using Microsoft.Extensions.DependencyInjection;
using static EventLog.Server.Tests.GuestLogs.AgentCommandTests;
using static EventLog.Server.Tests.GuestLogs.GuestLogTestAgent;

namespace EventLog.Server.Tests.GuestLogs;

/// <summary>
/// Two servers on one SQLite file, standing in for replicas on a shared database: each has its own in-process
/// signals, so what one stores reaches the other only through the store (its polling).
/// </summary>
public sealed class ReplicaAgentCommandTests
{
    [Fact]
    public async Task PublishLog_OnReplica2_ReachesTheAgentOnReplica1_AndANewChannelThereEndsTheOld()
    {
        await using var replicas = await Replicas.StartAsync();
        var agent = replicas.Agent;
        using var cts = new CancellationTokenSource(TestTimeout);
        using var channel = await ConnectAsync(agent.Client, agent.InstanceId, cts.Token);

        var file = Encoding.UTF8.GetBytes("started on replica 1\n");
        var published = await PublishThroughAgentAsync(replicas.MemberOnTwo, agent, channel.ResponseStream, file, cts.Token);
        Assert.Equal((GuestLogStatus.Published, file.Length), (published.Log.Status, published.Log.PublishedBytes));

        // A failure reported on replica 1 fails the call waiting on replica 2.
        var failing = replicas.PublishOnTwo(TimeSpan.FromSeconds(30));
        var second = await NextCommandAsync(channel.ResponseStream, cts.Token);
        await agent.Client.ReportCommandResultAsync(new ReportCommandResultRequest { InstanceId = agent.InstanceId, CommandId = second.Id, ErrorMessage = "disk full" }).ResponseAsync.WaitAsync(TestTimeout);
        var failed = await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => failing);
        Assert.Contains("disk full", failed.Status.Detail, StringComparison.Ordinal);

        // The agent reconnects through replica 2: the channel on replica 1 ends.
        using var replacement = await ConnectAsync(replicas.AgentOnTwo, agent.InstanceId, cts.Token);
        while (await channel.ResponseStream.MoveNext(cts.Token).WaitAsync(TestTimeout))
        {
            Assert.NotNull(channel.ResponseStream.Current.Heartbeat);
        }
    }

    [Fact]
    public async Task Commands_InFlightOnAStoppedReplica_AndQueuedWhileItIsDown_AreDeliveredOnTheOther()
    {
        await using var replicas = await Replicas.StartAsync();
        var agent = replicas.Agent;
        using var first = new CancellationTokenSource(TestTimeout);
        using var channel = await ConnectAsync(agent.Client, agent.InstanceId, first.Token);

        // Delivered by replica 1, never acknowledged: then replica 1 goes away with the agent's channel.
        await replicas.MemberOnTwo.EnableLogAsync(new EnableLogRequest { InstanceId = agent.InstanceId, LogName = "general" }).ResponseAsync.WaitAsync(TestTimeout);
        var enable = await NextCommandAsync(channel.ResponseStream, first.Token);
        await replicas.One.StopAsync().WaitAsync(TestTimeout);
        await Assert.ThrowsAsync<RpcException>(() => channel.ResponseStream.MoveNext(first.Token)).WaitAsync(TestTimeout);

        // Queued through replica 2 while replica 1 is down and no agent is connected.
        await replicas.MemberOnTwo.DiscardLogAsync(new DiscardLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }).ResponseAsync.WaitAsync(TestTimeout);
        await RpcAssert.ThrowsAsync(StatusCode.Unavailable, () => replicas.PublishOnTwo());

        using var cts = new CancellationTokenSource(TestTimeout);
        using var reconnected = replicas.AgentOnTwo.AgentCommands(new AgentCommandsRequest { InstanceId = agent.InstanceId }, cancellationToken: cts.Token);
        var again = await NextCommandAsync(reconnected.ResponseStream, cts.Token);
        var discard = await NextCommandAsync(reconnected.ResponseStream, cts.Token);
        Assert.Equal((enable.Id, GuestLogCommandType.Enable), (again.Id, again.Type));
        Assert.Equal((GuestLogCommandType.Discard, "guest"), (discard.Type, discard.LogName));
        await replicas.AgentOnTwo.ReportCommandResultAsync(new ReportCommandResultRequest { InstanceId = agent.InstanceId, CommandId = again.Id, Succeeded = true }).ResponseAsync.WaitAsync(TestTimeout);
    }

    [Fact]
    public async Task PublishLog_WithNoAgentOnAnyReplica_IsUnavailableAtOnce()
    {
        await using var replicas = await Replicas.StartAsync();
        var agent = replicas.Agent;
        var watch = Stopwatch.StartNew();
        await RpcAssert.ThrowsAsync(StatusCode.Unavailable, () => replicas.PublishOnTwo());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");

        // An agent that connected to replica 1 and left is gone for replica 2 as well.
        using (var cts = new CancellationTokenSource(TestTimeout))
        using (await ConnectAsync(agent.Client, agent.InstanceId, cts.Token))
        {
        }

        watch.Restart();
        await TestTimeouts.EventuallyAsync(async () =>
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => replicas.PublishOnTwo(TimeSpan.FromSeconds(1)));
            return error.StatusCode == StatusCode.Unavailable;
        }, "replica 2 to see that the agent left replica 1");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task ALeaseLeftByAKilledReplica_KeepsPublishWaiting_UntilItLapses()
    {
        await using var replicas = await Replicas.StartAsync();
        // A replica killed with the agent's channel open deletes nothing: its lease stays until nobody renewed it in time.
        var commands = replicas.One.Services.GetRequiredService<Storage.GuestLogs.IAgentCommandRepository>();
        await commands.ConnectAgentAsync(replicas.Agent.InstanceId, "killed", DateTime.UtcNow.AddSeconds(5)).WaitAsync(TestTimeout);

        await RpcAssert.ThrowsAsync(StatusCode.DeadlineExceeded, () => replicas.PublishOnTwo(TimeSpan.FromMilliseconds(500)));
        await TestTimeouts.EventuallyAsync(async () =>
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => replicas.PublishOnTwo(TimeSpan.FromSeconds(1)));
            return error.StatusCode == StatusCode.Unavailable;
        }, "the killed replica's lease to lapse");

        // The publishes that timed out were withdrawn: a new channel opens with a heartbeat, not with them.
        using var cts = new CancellationTokenSource(TestTimeout);
        using var channel = await ConnectAsync(replicas.AgentOnTwo, replicas.Agent.InstanceId, cts.Token);
        Assert.Empty(await commands.ReadPendingAsync(replicas.Agent.InstanceId, 0, 10).WaitAsync(TestTimeout));
    }

    /// <summary>Opens an agent channel of the instance and reads its first message: a heartbeat, as nothing is pending.</summary>
    private static async Task<AsyncServerStreamingCall<AgentCommandsResponse>> ConnectAsync(GuestLogsService.GuestLogsServiceClient client, string instanceId, CancellationToken cancellationToken)
    {
        var channel = client.AgentCommands(new AgentCommandsRequest { InstanceId = instanceId }, cancellationToken: cancellationToken);
        Assert.NotNull((await channel.ResponseStream.NextAsync(cancellationToken)).Heartbeat);
        return channel;
    }

    /// <summary>Replica 1 with its own data folder, replica 2 on the same SQLite file, and an agent registered through replica 1.</summary>
    private sealed class Replicas : IAsyncDisposable
    {
        private Replicas(EventLogHost one, EventLogHost two, GuestLogTestAgent agent)
        {
            One = one;
            Two = two;
            Agent = agent;
            MemberOnTwo = new GuestLogsService.GuestLogsServiceClient(two.CreateChannel(TestTokens.MemberA));
            AgentOnTwo = new GuestLogsService.GuestLogsServiceClient(two.CreateChannel(TestTokens.AgentA));
        }

        public EventLogHost One { get; }

        public EventLogHost Two { get; }

        /// <summary>The agent, on replica 1.</summary>
        public GuestLogTestAgent Agent { get; }

        public GuestLogsService.GuestLogsServiceClient MemberOnTwo { get; }

        /// <summary>The same agent's client of replica 2.</summary>
        public GuestLogsService.GuestLogsServiceClient AgentOnTwo { get; }

        public static async Task<Replicas> StartAsync()
        {
            List<KeyValuePair<string, string?>> settings =
            [
                new("Storage:ChangePollInterval", "00:00:00.100"),
                new("GuestLogs:HeartbeatInterval", "00:00:00.500"),
            ];
            var one = await EventLogHost.StartAsync(settings);
            var two = await EventLogHost.StartAsync([.. settings, new("Storage:DataDirectory", one.DataDirectory)]);
            return new Replicas(one, two, await PublishTailTests.RegisteredAgentAsync(one));
        }

        /// <summary>A member's PublishLog of the guest log on replica 2, with a deadline <paramref name="wait"/> from now (none when null).</summary>
        public Task<PublishLogResponse> PublishOnTwo(TimeSpan? wait = null) =>
            MemberOnTwo.PublishLogAsync(new PublishLogRequest { InstanceId = Agent.InstanceId, LogName = "guest" }, deadline: DateTime.UtcNow + wait).ResponseAsync;

        public async ValueTask DisposeAsync()
        {
            // Replica 2 first: replica 1's dispose deletes the data folder they share.
            await Two.DisposeAsync();
            await One.DisposeAsync();
        }
    }
}
