using System.Diagnostics;
using System.Text;
using EventLog.V1;
using static EventLog.Server.Tests.GuestLogs.GuestLogTestAgent;

namespace EventLog.Server.Tests.GuestLogs;

public sealed class AgentCommandTests
{
    [Fact]
    public async Task PublishLog_ReachesConnectedAgent_AndItsUploadCompletesTheUsersCall()
    {
        await using var server = await EventLogHost.StartAsync();
        var agent = await PublishTailTests.RegisteredAgentAsync(server);
        var member = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.MemberA));
        using var cts = new CancellationTokenSource(TestTimeout);
        using var channel = agent.Client.AgentCommands(new AgentCommandsRequest { InstanceId = agent.InstanceId }, cancellationToken: cts.Token);
        Assert.NotNull((await channel.ResponseStream.NextAsync(cts.Token)).Heartbeat);

        var file = Encoding.UTF8.GetBytes("started\nready for connections\n");
        var published = await PublishThroughAgentAsync(member, agent, channel.ResponseStream, file, cts.Token);
        Assert.Equal((GuestLogStatus.Published, file.Length), (published.Log.Status, published.Log.PublishedBytes));
    }

    [Fact]
    public async Task UsersEnable_SurvivesTheAgentReregistering_AndTheReconnectedAgentIsToldAtOnce()
    {
        await using var server = await EventLogHost.StartAsync();
        var agent = await PublishTailTests.RegisteredAgentAsync(server);
        var member = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.MemberA));
        using (var cts = new CancellationTokenSource(TestTimeout))
        using (var channel = agent.Client.AgentCommands(new AgentCommandsRequest { InstanceId = agent.InstanceId }, cancellationToken: cts.Token))
        {
            await channel.ResponseStream.NextAsync(cts.Token);
            var enabled = await member.EnableLogAsync(new EnableLogRequest { InstanceId = agent.InstanceId, LogName = "general" }).ResponseAsync.WaitAsync(TestTimeout);
            Assert.NotEqual(GuestLogStatus.Disabled, enabled.Log.Status);
            var enable = await NextCommandAsync(channel.ResponseStream, cts.Token);
            await agent.Client.ReportCommandResultAsync(new ReportCommandResultRequest { InstanceId = agent.InstanceId, CommandId = enable.Id, Succeeded = true }).ResponseAsync.WaitAsync(TestTimeout);
        }

        // The agent restarts: it declares its defaults again, the general log not enabled.
        var registered = await agent.RegisterMySqlAsync();
        Assert.NotEqual(GuestLogStatus.Disabled, registered.Logs.Single(l => l.Name == "general").Status);
        var stored = await member.GetLogAsync(new GetLogRequest { InstanceId = agent.InstanceId, LogName = "general" }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.NotEqual(GuestLogStatus.Disabled, stored.Log.Status);

        using var again = new CancellationTokenSource(TestTimeout);
        using var reconnected = agent.Client.AgentCommands(new AgentCommandsRequest { InstanceId = agent.InstanceId }, cancellationToken: again.Token);
        var told = await NextCommandAsync(reconnected.ResponseStream, again.Token);
        Assert.Equal((GuestLogCommandType.Enable, "general"), (told.Type, told.LogName));
    }

    [Fact]
    public async Task PublishLog_WithNoAgentConnected_IsUnavailableAtOnce()
    {
        await using var server = await EventLogHost.StartAsync();
        var agent = await PublishTailTests.RegisteredAgentAsync(server);
        var member = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.MemberA));
        var watch = Stopwatch.StartNew();
        await RpcAssert.ThrowsAsync(StatusCode.Unavailable, () => member.PublishLogAsync(new PublishLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }).ResponseAsync);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task PublishLog_AgentFailure_AndDeadline_AreReported()
    {
        await using var server = await EventLogHost.StartAsync();
        var agent = await PublishTailTests.RegisteredAgentAsync(server);
        var member = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.MemberA));
        using var cts = new CancellationTokenSource(TestTimeout);
        using var channel = agent.Client.AgentCommands(new AgentCommandsRequest { InstanceId = agent.InstanceId }, cancellationToken: cts.Token);
        await channel.ResponseStream.NextAsync(cts.Token);

        var publish = member.PublishLogAsync(new PublishLogRequest { InstanceId = agent.InstanceId, LogName = "general" }, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync;
        var commands = new List<GuestLogCommand>();
        while (commands.Count < 2)
        {
            commands.Add(await NextCommandAsync(channel.ResponseStream, cts.Token));
        }

        // A disabled USER log is enabled before it is published.
        Assert.Equal([GuestLogCommandType.Enable, GuestLogCommandType.Publish], commands.Select(c => c.Type));
        await agent.Client.ReportCommandResultAsync(new ReportCommandResultRequest { InstanceId = agent.InstanceId, CommandId = commands[0].Id, Succeeded = true }).ResponseAsync.WaitAsync(TestTimeout);
        await agent.Client.ReportCommandResultAsync(new ReportCommandResultRequest { InstanceId = agent.InstanceId, CommandId = commands[1].Id, ErrorMessage = "general.log is missing" }).ResponseAsync.WaitAsync(TestTimeout);
        var failed = await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => publish);
        Assert.Contains("general.log is missing", failed.Status.Detail, StringComparison.Ordinal);

        var watch = Stopwatch.StartNew();
        await RpcAssert.ThrowsAsync(StatusCode.DeadlineExceeded, () => member.PublishLogAsync(new PublishLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }, deadline: DateTime.UtcNow.AddMilliseconds(500)).ResponseAsync);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Commands_AreRedeliveredOnReconnect_UntilReported_AndANewChannelReplacesTheOld()
    {
        await using var server = await EventLogHost.StartAsync([new("GuestLogs:HeartbeatInterval", "00:00:00.200")]);
        var agent = await PublishTailTests.RegisteredAgentAsync(server);
        var member = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.MemberA));
        await member.EnableLogAsync(new EnableLogRequest { InstanceId = agent.InstanceId, LogName = "general" }).ResponseAsync.WaitAsync(TestTimeout);
        await member.DiscardLogAsync(new DiscardLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }).ResponseAsync.WaitAsync(TestTimeout);

        using var cts = new CancellationTokenSource(TestTimeout);
        using var first = agent.Client.AgentCommands(new AgentCommandsRequest { InstanceId = agent.InstanceId }, cancellationToken: cts.Token);
        var enable = await NextCommandAsync(first.ResponseStream, cts.Token);
        var discard = await NextCommandAsync(first.ResponseStream, cts.Token);
        Assert.Equal((GuestLogCommandType.Enable, GuestLogCommandType.Discard), (enable.Type, discard.Type));
        await agent.Client.ReportCommandResultAsync(new ReportCommandResultRequest { InstanceId = agent.InstanceId, CommandId = enable.Id, Succeeded = true }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.NotNull((await first.ResponseStream.NextAsync(cts.Token)).Heartbeat);

        using var second = agent.Client.AgentCommands(new AgentCommandsRequest { InstanceId = agent.InstanceId }, cancellationToken: cts.Token);
        Assert.Equal(discard.Id, (await NextCommandAsync(second.ResponseStream, cts.Token)).Id);
        while (await first.ResponseStream.MoveNext(cts.Token).WaitAsync(TestTimeout))
        {
            Assert.NotNull(first.ResponseStream.Current.Heartbeat);
        }
    }

    /// <summary>
    /// A member's PublishLog of the guest log, carried out by the agent that reads <paramref name="channel"/>: the call
    /// waits until the agent's upload names the command, then returns the published log.
    /// </summary>
    internal static async Task<PublishLogResponse> PublishThroughAgentAsync(
        GuestLogsService.GuestLogsServiceClient member, GuestLogTestAgent agent, IAsyncStreamReader<AgentCommandsResponse> channel, byte[] file, CancellationToken cancellationToken)
    {
        var publish = member.PublishLogAsync(new PublishLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync;
        var command = await NextCommandAsync(channel, cancellationToken);
        Assert.Equal((GuestLogCommandType.Publish, "guest"), (command.Type, command.LogName));
        Assert.False(publish.IsCompleted);
        await agent.UploadAsync("guest", file, commandId: command.Id);
        return await publish.WaitAsync(TestTimeout);
    }

    /// <summary>The next command of an agent channel; heartbeats (which a slow machine may interleave) are skipped.</summary>
    internal static async Task<GuestLogCommand> NextCommandAsync(IAsyncStreamReader<AgentCommandsResponse> stream, CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = await stream.NextAsync(cancellationToken);
            if (message.UpdateCase == AgentCommandsResponse.UpdateOneofCase.Command)
            {
                return message.Command;
            }
        }
    }
}
