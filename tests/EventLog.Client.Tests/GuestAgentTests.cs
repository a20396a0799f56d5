using System.Text;
using EventLog.V1;

namespace EventLog.Client.Tests;

/// <summary>The guest agent host carries out users' commands; the file publisher uploads only new bytes and handles rotation.</summary>
public sealed partial class GuestAgentTests : IAsyncLifetime
{
    private EventLogHost _server = null!;
    private string _directory = null!;

    public async Task InitializeAsync()
    {
        _server = await SdkHost.StartAsync();
        _directory = Path.Combine(_server.DataDirectory, "guest");
        Directory.CreateDirectory(_directory);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Publish_UploadsNewCompleteLines_AndSaveIsByteIdentical()
    {
        var file = Path.Combine(_directory, "guest.log");
        await File.WriteAllTextAsync(file, "first line\nsecond line\n");
        await using var agent = await StartAgentAsync("inst-1", file);
        var user = _server.CreateClient(TestTokens.MemberA);

        var published = await user.GuestLogs.PublishLogAsync("inst-1", "guest").WithTimeout();
        Assert.Equal(new FileInfo(file).Length, published.PublishedBytes);

        await File.AppendAllTextAsync(file, "third line\nhalf a li");
        published = await user.GuestLogs.PublishLogAsync("inst-1", "guest").WithTimeout();
        Assert.Equal("first line\nsecond line\nthird line\n".Length, published.PublishedBytes);

        using var saved = new MemoryStream();
        await user.GuestLogs.SaveLogAsync("inst-1", "guest", saved).WithTimeout();
        Assert.Equal("first line\nsecond line\nthird line\n", Encoding.UTF8.GetString(saved.ToArray()));

        var tail = await user.GuestLogs.TailLogAsync("inst-1", "guest", lines: 2).TakeAsync(10);
        Assert.Equal(["second line", "third line"], tail.Select(l => l.Text));
        Assert.Equal([2L, 3L], tail.Select(l => l.Number));
    }

    [Fact]
    public async Task Publish_AfterRotation_RestartsAtOffsetZero()
    {
        var file = Path.Combine(_directory, "mysql.log");
        await File.WriteAllTextAsync(file, "old 1\nold 2\nold 3\n");
        await using var agent = await StartAgentAsync("inst-2", file);
        var user = _server.CreateClient(TestTokens.MemberA);
        await user.GuestLogs.PublishLogAsync("inst-2", "guest").WithTimeout();

        // logrotate: the file starts over with other content, longer than before.
        await File.WriteAllTextAsync(file, "new 1\nnew 2\nnew 3\nnew 4\n");
        var published = await user.GuestLogs.PublishLogAsync("inst-2", "guest").WithTimeout();

        Assert.Equal(new FileInfo(file).Length, published.PublishedBytes);
        using var saved = new MemoryStream();
        await user.GuestLogs.SaveLogAsync("inst-2", "guest", saved).WithTimeout();
        Assert.Equal(await File.ReadAllBytesAsync(file), saved.ToArray());
    }

    [Fact]
    public async Task EnableDisable_CallHandler_AndDiscardResetsPublisher()
    {
        var (file, handler) = await WriteLogAsync("slow.log", "select 1;\n");
        await using var agent = await StartAgentAsync("inst-3", file, GuestLogType.User, handler);
        var user = _server.CreateClient(TestTokens.MemberA);

        await user.GuestLogs.EnableLogAsync("inst-3", "guest").WithTimeout();
        await TestTimeouts.EventuallyAsync(() => Task.FromResult(handler.Enabled.Contains("guest")), "the agent to enable the log");
        await user.GuestLogs.PublishLogAsync("inst-3", "guest").WithTimeout();
        var discarded = await user.GuestLogs.DiscardLogAsync("inst-3", "guest").WithTimeout();
        Assert.Equal(0, discarded.PublishedBytes);
        await TestTimeouts.EventuallyAsync(() => Task.FromResult(agent.Host.Publishers["guest"].PublishedOffset == 0), "the agent to forget the offset");
        await user.GuestLogs.DisableLogAsync("inst-3", "guest").WithTimeout();
        await TestTimeouts.EventuallyAsync(() => Task.FromResult(handler.Disabled.Contains("guest")), "the agent to disable the log");
    }

    [Fact]
    public async Task Agent_ServerRestarted_ReconnectsAndCarriesOutCommands()
    {
        var file = Path.Combine(_directory, "restart.log");
        await File.WriteAllTextAsync(file, "before restart\n");
        await using var agent = await StartAgentAsync("inst-4", file);
        var user = _server.CreateClient(TestTokens.MemberA);
        await user.GuestLogs.PublishLogAsync("inst-4", "guest").WithTimeout();

        await _server.StopAsync().WithTimeout();
        await File.AppendAllTextAsync(file, "after restart\n");
        await _server.RestartAsync().WithTimeout();

        // Until the agent's channel is back, a publish is answered UNAVAILABLE at once.
        GuestLog? published = null;
        await TestTimeouts.EventuallyAsync(async () =>
        {
            try
            {
                published = await user.GuestLogs.PublishLogAsync("inst-4", "guest", TimeSpan.FromSeconds(10));
                return true;
            }
            catch (EventLogException ex) when (ex.StatusCode == StatusCode.Unavailable)
            {
                return false;
            }
        }, "the agent to reconnect");
        Assert.Equal(new FileInfo(file).Length, published!.PublishedBytes);
    }

    [Fact]
    public async Task Publish_NoAgentConnected_IsUnavailableAtOnce()
    {
        var agentClient = _server.CreateClient(TestTokens.AgentA);
        await agentClient.GuestLogs.RegisterLogsAsync(new RegisterLogsRequest
        {
            InstanceId = "inst-offline",
            Datastore = "mysql",
            Logs = { new GuestLogDefinition { Name = "guest", Type = GuestLogType.Sys, File = "/var/log/guest.log", Exposed = true, Enabled = true } },
        }).WithTimeout();
        var user = _server.CreateClient(TestTokens.MemberA);

        var ex = await Assert.ThrowsAsync<EventLogException>(() => user.GuestLogs.PublishLogAsync("inst-offline", "guest")).WithTimeout();

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    private async Task<RunningAgent> StartAgentAsync(string instanceId, string file, GuestLogType type = GuestLogType.Sys, GuestAgentHandler? handler = null, bool enabled = false, bool exposed = true)
    {
        var client = _server.CreateClient(TestTokens.AgentA);
        var host = new GuestAgentHost(client.GuestLogs, new GuestAgentOptions
        {
            InstanceId = instanceId,
            Datastore = "mysql",
            Logs = [new GuestAgentLog { Name = "guest", FilePath = file, Type = type, Enabled = enabled || type == GuestLogType.Sys, Exposed = exposed }],
        }, handler);
        var agent = new RunningAgent(host);
        // The channel is open once a publish no longer fails with "no agent connected".
        var probe = _server.CreateClient(TestTokens.Admin);
        await TestTimeouts.EventuallyAsync(async () =>
        {
            try
            {
                await probe.GuestLogs.GetLogAsync(instanceId, "guest");
                return true;
            }
            catch (EventLogException)
            {
                return false;
            }
        }, "the agent to register");
        await Task.Delay(300);
        return agent;
    }

    private sealed class RunningAgent : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _run;

        public RunningAgent(GuestAgentHost host)
        {
            Host = host;
            _run = Task.Run(() => host.RunAsync(_stop.Token));
        }

        public GuestAgentHost Host { get; }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run.WaitAsync(TestTimeouts.Default);
            _stop.Dispose();
        }
    }

    private sealed class RecordingHandler : GuestAgentHandler
    {
        public List<string> Enabled { get; } = [];

        public List<string> Disabled { get; } = [];

        public override Task EnableLogAsync(GuestAgentLog log, CancellationToken cancellationToken)
        {
            lock (Enabled)
            {
                Enabled.Add(log.Name);
            }
            return Task.CompletedTask;
        }

        public override Task DisableLogAsync(GuestAgentLog log, CancellationToken cancellationToken)
        {
            lock (Disabled)
            {
                Disabled.Add(log.Name);
            }
            return Task.CompletedTask;
        }
    }
}
