using System.Text;
using EventLog.V1;
using static EventLog.Server.Tests.GuestLogs.GuestLogTestAgent;

namespace EventLog.Server.Tests.GuestLogs;

/// <summary>
/// "Logs stay readable after their instance is deleted" (as Swift objects outlive the Trove instance).
/// To EventLog a deleted instance is one whose agent closed its command channel and never comes back: the catalog
/// and the published chunks stay, so every read works without an agent; only what needs one (publish) does not.
/// </summary>
public sealed class DeletedInstanceTests
{
    [Fact]
    public async Task Logs_StayReadable_AfterTheAgentChannelClosed_AndAfterARestartWithNoAgent()
    {
        await using var server = await EventLogHost.StartAsync([new("GuestLogs:HeartbeatInterval", "00:00:00.200")]);
        var agent = await PublishTailTests.RegisteredAgentAsync(server);
        var member = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.MemberA));
        var reader = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.ReaderA));
        var file = Encoding.UTF8.GetBytes("boot\nmysqld ready\nshutting down: instance deleted\n");

        // While the instance lives, a user's publish goes to its agent over the command channel.
        using (var agentChannel = new CancellationTokenSource(TestTimeout))
        {
            using var commands = agent.Client.AgentCommands(new AgentCommandsRequest { InstanceId = agent.InstanceId }, cancellationToken: agentChannel.Token);
            Assert.NotNull((await commands.ResponseStream.NextAsync(agentChannel.Token)).Heartbeat);
            var publish = member.PublishLogAsync(new PublishLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync;
            var command = await AgentCommandTests.NextCommandAsync(commands.ResponseStream, agentChannel.Token);
            await agent.UploadAsync("guest", file, commandId: command.Id);
            Assert.Equal(GuestLogStatus.Published, (await publish.WaitAsync(TestTimeout)).Log.Status);

            // The instance is deleted: its agent goes away and closes the channel.
            await agentChannel.CancelAsync();
        }

        using var cts = new CancellationTokenSource(TestTimeout);
        using var follow = reader.TailLog(new TailLogRequest { InstanceId = agent.InstanceId, LogName = "guest", Lines = 0, Follow = true }, cancellationToken: cts.Token);
        Assert.Equal(["boot", "mysqld ready", "shutting down: instance deleted"], (await follow.ResponseStream.NextAsync(cts.Token)).Lines.Lines);

        await WaitUntilNoAgentAsync(member, agent.InstanceId);
        await AssertReadableAsync(reader, agent.InstanceId, file);

        // A follower of the deleted instance's log is not cut off: it idles with heartbeats at the last line.
        var idle = await follow.ResponseStream.NextAsync(cts.Token);
        Assert.Equal((TailLogResponse.UpdateOneofCase.Heartbeat, 3L), (idle.UpdateCase, idle.Sequence));
        await cts.CancelAsync();

        // After a restart no agent ever connected for the instance; the logs are still there.
        await server.StopAsync().WaitAsync(TestTimeout);
        await server.RestartAsync().WaitAsync(TestTimeout);
        var readerAfter = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.ReaderA));
        var memberAfter = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.MemberA));
        await RpcAssert.ThrowsAsync(StatusCode.Unavailable, () => memberAfter.PublishLogAsync(new PublishLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);
        await AssertReadableAsync(readerAfter, agent.InstanceId, file);

        // Admins still see the logs the datastore hides from users.
        var admin = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.Admin));
        var all = await admin.ListLogsAsync(new ListLogsRequest { InstanceId = agent.InstanceId }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal(["audit", "general", "guest", "slow_query"], all.Logs.Select(l => l.Name));
    }

    /// <summary>The channel ends on the server shortly after the agent cancels it; from then on a publish is UNAVAILABLE at once.</summary>
    private static async Task WaitUntilNoAgentAsync(GuestLogsService.GuestLogsServiceClient member, string instanceId)
    {
        var until = DateTime.UtcNow + TestTimeout;
        while (true)
        {
            var started = DateTime.UtcNow;
            try
            {
                // A short deadline: should the channel still be up, the publish waits for an agent that will not answer.
                await member.PublishLogAsync(new PublishLogRequest { InstanceId = instanceId, LogName = "guest" }, deadline: DateTime.UtcNow.AddMilliseconds(500)).ResponseAsync.WaitAsync(TestTimeout);
                Assert.Fail("A publish succeeded with no agent.");
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
            {
                RpcAssert.HasErrorInfo(ex);
                Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "UNAVAILABLE must come at once, not at the deadline.");
                return;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.DeadlineExceeded && DateTime.UtcNow < until)
            {
                // The server had not seen the channel close yet.
            }
        }
    }

    private static async Task AssertReadableAsync(GuestLogsService.GuestLogsServiceClient reader, string instanceId, byte[] file)
    {
        var logs = await reader.ListLogsAsync(new ListLogsRequest { InstanceId = instanceId }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal(["general", "guest", "slow_query"], logs.Logs.Select(l => l.Name));
        var guest = (await reader.GetLogAsync(new GetLogRequest { InstanceId = instanceId, LogName = "guest" }).ResponseAsync.WaitAsync(TestTimeout)).Log;
        Assert.Equal((GuestLogStatus.Published, (long)file.Length, 3L), (guest.Status, guest.PublishedBytes, guest.LineCount));

        Assert.Equal(["mysqld ready", "shutting down: instance deleted"], await TailLinesAsync(reader, instanceId, 2));
        Assert.Equal(["mysqld ready", "shutting down: instance deleted"], await TailLinesAsync(reader, instanceId, -1));
        Assert.Equal(Lines(file), await TailLinesAsync(reader, instanceId, 0));

        using var cts = new CancellationTokenSource(TestTimeout);
        using var save = reader.SaveLog(new SaveLogRequest { InstanceId = instanceId, LogName = "guest" }, cancellationToken: cts.Token);
        var saved = new MemoryStream();
        while (await save.ResponseStream.MoveNext(cts.Token).WaitAsync(TestTimeout))
        {
            save.ResponseStream.Current.Data.WriteTo(saved);
        }

        Assert.Equal(file, saved.ToArray());
    }

    private static async Task<List<string>> TailLinesAsync(GuestLogsService.GuestLogsServiceClient reader, string instanceId, long n)
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        using var tail = reader.TailLog(new TailLogRequest { InstanceId = instanceId, LogName = "guest", Lines = n }, cancellationToken: cts.Token);
        var lines = new List<string>();
        while (await tail.ResponseStream.MoveNext(cts.Token).WaitAsync(TestTimeout))
        {
            lines.AddRange(tail.ResponseStream.Current.Lines?.Lines ?? []);
        }

        return lines;
    }
}
