using EventLog.V1;

namespace EventLog.Client.Tests;

public sealed partial class ResumeAfterRestartTests
{
    [Fact]
    public async Task GuestTailLog_Follow_ServerRestartedMidStream_NoGapNoDuplicate()
    {
        var agent = _server.CreateClient(TestTokens.AgentA);
        var user = _server.CreateClient(TestTokens.MemberA);
        await RegisterGuestLogAsync(agent, "inst-tail", GuestLogType.Sys);
        var file = Path.Combine(_server.DataDirectory, "guest-tail.log");
        var publisher = new GuestLogFilePublisher(agent.GuestLogs, "inst-tail", "guest", file);
        await File.WriteAllLinesAsync(file, Lines(1, 50));
        await publisher.PublishAsync().WithTimeout();

        var reconnects = 0;
        var received = new List<GuestLogLine>();
        var first50 = new TaskCompletionSource();
        var all = new TaskCompletionSource();
        using var stop = new CancellationTokenSource(TestTimeouts.Default);
        var consumer = Task.Run(async () =>
        {
            var options = new EventLogStreamOptions { OnReconnecting = (_, _, _) => Interlocked.Increment(ref reconnects) };
            await foreach (var line in user.GuestLogs.TailLogAsync("inst-tail", "guest", lines: 0, follow: true, streamOptions: options, cancellationToken: stop.Token))
            {
                lock (received)
                {
                    received.Add(line);
                    if (received.Count == 50)
                    {
                        first50.TrySetResult();
                    }
                    if (received.Count == 100)
                    {
                        all.TrySetResult();
                    }
                }
            }
        });
        await first50.Task.WithTimeout();

        await _server.StopAsync().WithTimeout();
        await Task.Delay(500);
        await _server.RestartAsync().WithTimeout();

        // Published after the restart, in two uploads, while the tail is reconnecting or reconnected.
        await File.AppendAllLinesAsync(file, Lines(51, 75));
        await publisher.PublishAsync().WithTimeout();
        await File.AppendAllLinesAsync(file, Lines(76, 100));
        await publisher.PublishAsync().WithTimeout();
        await all.Task.WithTimeout();
        // Anything repeated after the hundredth line would arrive now.
        await Task.Delay(500);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consumer).WithTimeout();

        Assert.True(reconnects > 0, "the tail should have reconnected");
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), received.Select(l => l.Number));
        Assert.Equal(Lines(1, 100), received.Select(l => l.Text));
        Assert.DoesNotContain(received, l => l.AfterReset);
    }

    [Fact]
    public async Task ReceiveCommands_ServerRestartedMidStream_CommandsAfterItArriveOnceInOrder()
    {
        var agent = _server.CreateClient(TestTokens.AgentA);
        var user = _server.CreateClient(TestTokens.MemberA);
        await RegisterGuestLogAsync(agent, "inst-commands", GuestLogType.User);

        var reconnects = 0;
        var commands = new List<GuestLogCommand>();
        var arrived = new SemaphoreSlim(0);
        using var stop = new CancellationTokenSource(TestTimeouts.Default);
        var consumer = Task.Run(async () =>
        {
            var options = new EventLogStreamOptions { OnReconnecting = (_, _, _) => Interlocked.Increment(ref reconnects) };
            await foreach (var command in agent.GuestLogs.ReceiveCommandsAsync("inst-commands", options, stop.Token))
            {
                // Reported at once, as an agent does: a command whose result is reported is not sent again.
                await agent.GuestLogs.ReportCommandResultAsync("inst-commands", command.Id, succeeded: true, cancellationToken: stop.Token);
                lock (commands)
                {
                    commands.Add(command);
                }
                arrived.Release();
            }
        });
        // Commands are queued for an instance even before its channel opens, so the first one also proves the channel works.
        await user.GuestLogs.EnableLogAsync("inst-commands", "guest").WithTimeout();
        await arrived.WaitAsync(TestTimeouts.Default);

        await _server.StopAsync().WithTimeout();
        await Task.Delay(500);
        await _server.RestartAsync().WithTimeout();

        // Issued while the agent may still be reconnecting: the new server queues them until it is back.
        await user.GuestLogs.DisableLogAsync("inst-commands", "guest").WithTimeout();
        await arrived.WaitAsync(TestTimeouts.Default);
        await user.GuestLogs.DiscardLogAsync("inst-commands", "guest").WithTimeout();
        await arrived.WaitAsync(TestTimeouts.Default);
        // A command delivered twice would arrive now.
        await Task.Delay(1500);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consumer).WithTimeout();

        Assert.True(reconnects > 0, "the command channel should have reconnected");
        Assert.Equal([GuestLogCommandType.Enable, GuestLogCommandType.Disable, GuestLogCommandType.Discard], commands.Select(c => c.Type));
        Assert.Equal(commands.Count, commands.Select(c => c.Id).Distinct().Count());
        Assert.All(commands, c => Assert.Equal("guest", c.LogName));
    }

    private static Task RegisterGuestLogAsync(EventLogClient agent, string instanceId, GuestLogType type) =>
        agent.GuestLogs.RegisterLogsAsync(new RegisterLogsRequest
        {
            InstanceId = instanceId,
            Datastore = "mysql",
            Logs = { new GuestLogDefinition { Name = "guest", Type = type, File = "/var/log/guest.log", Exposed = true, Enabled = type == GuestLogType.Sys } },
        }).WithTimeout();
}
