using System.Text;
using EventLog.V1;

namespace EventLog.Client.Tests;

/// <summary>Trove's log-publish --discard and --disable, and USER logs the datastore does not expose.</summary>
public sealed partial class GuestAgentTests
{
    [Fact]
    public async Task PublishWithDiscard_RepublishesFromTheStart_AndWithDisable_TheAgentStopsTheLog()
    {
        var (file, handler) = await WriteLogAsync("general.log", "one\ntwo\n");
        await using var agent = await StartAgentAsync("inst-5", file, GuestLogType.User, handler);
        var user = _server.CreateClient(TestTokens.MemberA);
        Assert.Equal(8, (await user.GuestLogs.PublishLogAsync("inst-5", "guest").WithTimeout()).PublishedBytes);

        // Rewritten in place with the same size and first line: an ordinary publish sees nothing new.
        await File.WriteAllTextAsync(file, "one\nTWO\n");
        Assert.Equal("one\ntwo\n", await SaveAsync(user, "inst-5"));
        var republished = await user.GuestLogs.PublishLogAsync("inst-5", "guest", disable: false, discard: true).WithTimeout();
        Assert.Equal((8L, 2L, 1L), (republished.PublishedBytes, republished.LineCount, republished.FirstAvailableLine));
        Assert.Equal("one\nTWO\n", await SaveAsync(user, "inst-5"));
        Assert.NotEqual(GuestLogStatus.Disabled, republished.Status);

        await File.AppendAllTextAsync(file, "three\n");
        var disabled = await user.GuestLogs.PublishLogAsync("inst-5", "guest", disable: true, discard: false).WithTimeout();
        Assert.Equal((GuestLogStatus.Disabled, 14L), (disabled.Status, disabled.PublishedBytes));
        await TestTimeouts.EventuallyAsync(() => Task.FromResult(handler.Disabled.Contains("guest")), "the agent to disable the log");
        Assert.Equal(GuestLogStatus.Disabled, (await user.GuestLogs.GetLogAsync("inst-5", "guest").WithTimeout()).Status);
    }

    [Fact]
    public async Task PublishWithDisable_OfASysLog_IsFailedPrecondition()
    {
        var (file, _) = await WriteLogAsync("sys.log", "boot\n");
        await using var agent = await StartAgentAsync("inst-6", file);
        var user = _server.CreateClient(TestTokens.MemberA);

        var ex = await Assert.ThrowsAsync<EventLogException>(() => user.GuestLogs.PublishLogAsync("inst-6", "guest", disable: true, discard: false)).WithTimeout();

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Contains("SYS", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await user.GuestLogs.GetLogAsync("inst-6", "guest").WithTimeout()).PublishedBytes);
    }

    [Fact]
    public async Task UserLogNotExposed_StartsDisabled_AndOnlyAnAdminCanEnableIt()
    {
        var (file, handler) = await WriteLogAsync("audit.log", "login root\n");
        await using var agent = await StartAgentAsync("inst-7", file, GuestLogType.User, handler, enabled: true, exposed: false);
        var admin = _server.CreateClient(TestTokens.Admin);
        var member = _server.CreateClient(TestTokens.MemberA);

        // The agent declared it enabled; the server keeps it off and tells the agent so.
        Assert.Equal(GuestLogStatus.Disabled, (await admin.GuestLogs.GetLogAsync("inst-7", "guest").WithTimeout()).Status);
        await TestTimeouts.EventuallyAsync(() => Task.FromResult(handler.Disabled.Contains("guest")), "the agent to disable the log");

        var denied = await Assert.ThrowsAsync<EventLogException>(() => member.GuestLogs.EnableLogAsync("inst-7", "guest")).WithTimeout();
        Assert.Equal(StatusCode.NotFound, denied.StatusCode);
        var enabled = await admin.GuestLogs.EnableLogAsync("inst-7", "guest").WithTimeout();
        Assert.NotEqual(GuestLogStatus.Disabled, enabled.Status);
        await TestTimeouts.EventuallyAsync(() => Task.FromResult(handler.Enabled.Contains("guest")), "the agent to enable the log");
    }

    /// <summary>A log file in the agent's folder holding <paramref name="content"/>, and a handler that records what the agent was told.</summary>
    private async Task<(string File, RecordingHandler Handler)> WriteLogAsync(string fileName, string content)
    {
        var file = Path.Combine(_directory, fileName);
        await File.WriteAllTextAsync(file, content);
        return (file, new RecordingHandler());
    }

    private static async Task<string> SaveAsync(EventLogClient client, string instanceId)
    {
        using var saved = new MemoryStream();
        await client.GuestLogs.SaveLogAsync(instanceId, "guest", saved).WithTimeout();
        return Encoding.UTF8.GetString(saved.ToArray());
    }
}
