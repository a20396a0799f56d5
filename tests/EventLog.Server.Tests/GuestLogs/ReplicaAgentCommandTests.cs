using System.Diagnostics;
using System.Text;
using EventLog.Server.Tests.Infrastructure;
using EventLog.V1;
using Grpc.Core;
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
        await using var one = await EventLogHost.StartAsync(Settings());
        await using var two = await EventLogHost.StartAsync(Settings(one));
        var agent = await PublishTailTests.RegisteredAgentAsync(one);
        var member = new GuestLogsService.GuestLogsServiceClient(two.CreateChannel(TestTokens.MemberA));
        using var cts = new CancellationTokenSource(TestTimeout);
        using var channel = agent.Client.AgentCommands(new AgentCommandsRequest { InstanceId = agent.InstanceId }, cancellationToken: cts.Token);
        Assert.NotNull((await channel.ResponseStream.NextAsync(cts.Token)).Heartbeat);

        var publish = member.PublishLogAsync(new PublishLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync;
        var command = await NextCommandAsync(channel.ResponseStream, cts.Token);
        Assert.Equal((GuestLogCommandType.Publish, "guest"), (command.Type, command.LogName));
        Assert.False(publish.IsCompleted);

        var file = Encoding.UTF8.GetBytes("started on replica 1\n");
        await agent.UploadAsync("guest", file, commandId: command.Id);
        var published = await publish.WaitAsync(TestTimeout);
        Assert.Equal((GuestLogStatus.Published, file.Length), (published.Log.Status, published.Log.PublishedBytes));

        // A failure reported on replica 1 fails the call waiting on replica 2.
        var failing = member.PublishLogAsync(new PublishLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync;
        var second = await NextCommandAsync(channel.ResponseStream, cts.Token);
        await agent.Client.ReportCommandResultAsync(new ReportCommandResultRequest { InstanceId = agent.InstanceId, CommandId = second.Id, ErrorMessage = "disk full" }).ResponseAsync.WaitAsync(TestTimeout);
        var failed = await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => failing);
        Assert.Contains("disk full", failed.Status.Detail, StringComparison.Ordinal);

        // The agent reconnects through replica 2: the channel on replica 1 ends.
        var onTwo = new GuestLogsService.GuestLogsServiceClient(two.CreateChannel(TestTokens.AgentA));
        using var replacement = onTwo.AgentCommands(new AgentCommandsRequest { InstanceId = agent.InstanceId }, cancellationToken: cts.Token);
        Assert.NotNull((await replacement.ResponseStream.NextAsync(cts.Token)).Heartbeat);
        while (await channel.ResponseStream.MoveNext(cts.Token).WaitAsync(TestTimeout))
        {
            Assert.NotNull(channel.ResponseStream.Current.Heartbeat);
        }
    }

    [Fact]
    public async Task Commands_InFlightOnAStoppedReplica_AndQueuedWhileItIsDown_AreDeliveredOnTheOther()
    {
        await using var one = await EventLogHost.StartAsync(Settings());
        await using var two = await EventLogHost.StartAsync(Settings(one));
        var agent = await PublishTailTests.RegisteredAgentAsync(one);
        var member = new GuestLogsService.GuestLogsServiceClient(two.CreateChannel(TestTokens.MemberA));
        using var first = new CancellationTokenSource(TestTimeout);
        using var channel = agent.Client.AgentCommands(new AgentCommandsRequest { InstanceId = agent.InstanceId }, cancellationToken: first.Token);
        await channel.ResponseStream.NextAsync(first.Token);

        // Delivered by replica 1, never acknowledged: then replica 1 goes away with the agent's channel.
        await member.EnableLogAsync(new EnableLogRequest { InstanceId = agent.InstanceId, LogName = "general" }).ResponseAsync.WaitAsync(TestTimeout);
        var enable = await NextCommandAsync(channel.ResponseStream, first.Token);
        await one.StopAsync().WaitAsync(TestTimeout);
        await Assert.ThrowsAsync<RpcException>(() => channel.ResponseStream.MoveNext(first.Token)).WaitAsync(TestTimeout);

        // Queued through replica 2 while replica 1 is down and no agent is connected.
        await member.DiscardLogAsync(new DiscardLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }).ResponseAsync.WaitAsync(TestTimeout);
        await RpcAssert.ThrowsAsync(StatusCode.Unavailable, () => member.PublishLogAsync(new PublishLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }).ResponseAsync);

        var onTwo = new GuestLogsService.GuestLogsServiceClient(two.CreateChannel(TestTokens.AgentA));
        using var cts = new CancellationTokenSource(TestTimeout);
        using var reconnected = onTwo.AgentCommands(new AgentCommandsRequest { InstanceId = agent.InstanceId }, cancellationToken: cts.Token);
        var again = await NextCommandAsync(reconnected.ResponseStream, cts.Token);
        var discard = await NextCommandAsync(reconnected.ResponseStream, cts.Token);
        Assert.Equal((enable.Id, GuestLogCommandType.Enable), (again.Id, again.Type));
        Assert.Equal((GuestLogCommandType.Discard, "guest"), (discard.Type, discard.LogName));
        await onTwo.ReportCommandResultAsync(new ReportCommandResultRequest { InstanceId = agent.InstanceId, CommandId = again.Id, Succeeded = true }).ResponseAsync.WaitAsync(TestTimeout);
    }

    [Fact]
    public async Task PublishLog_WithNoAgentOnAnyReplica_IsUnavailableAtOnce()
    {
        await using var one = await EventLogHost.StartAsync(Settings());
        await using var two = await EventLogHost.StartAsync(Settings(one));
        var agent = await PublishTailTests.RegisteredAgentAsync(one);
        var member = new GuestLogsService.GuestLogsServiceClient(two.CreateChannel(TestTokens.MemberA));
        var watch = Stopwatch.StartNew();
        await RpcAssert.ThrowsAsync(StatusCode.Unavailable, () => member.PublishLogAsync(new PublishLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }).ResponseAsync);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");

        // An agent that connected to replica 1 and left is gone for replica 2 as well.
        using (var cts = new CancellationTokenSource(TestTimeout))
        using (var channel = agent.Client.AgentCommands(new AgentCommandsRequest { InstanceId = agent.InstanceId }, cancellationToken: cts.Token))
        {
            await channel.ResponseStream.NextAsync(cts.Token);
        }

        watch.Restart();
        await WaitUntilAsync(async () =>
        {
            var call = member.PublishLogAsync(new PublishLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }, deadline: DateTime.UtcNow.AddSeconds(1)).ResponseAsync;
            var error = await Assert.ThrowsAsync<RpcException>(() => call);
            return error.StatusCode == StatusCode.Unavailable;
        });
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    /// <summary>Settings of a replica: the first gets its own data folder, the next ones share <paramref name="first"/>'s file.</summary>
    private static List<KeyValuePair<string, string?>> Settings(EventLogHost? first = null)
    {
        List<KeyValuePair<string, string?>> settings =
        [
            new("Storage:ChangePollInterval", "00:00:00.100"),
            new("GuestLogs:HeartbeatInterval", "00:00:00.500"),
        ];
        if (first is not null)
        {
            settings.Add(new("Storage:DataDirectory", first.DataDirectory));
        }

        return settings;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TestTimeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true in time.");
            await Task.Delay(100);
        }
    }
}
