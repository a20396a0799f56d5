using System.Globalization;
using EventLog.V1;

namespace EventLog.Cli.Tests;

/// <summary>Cinder's operator views: messages by host and user, every project's lists for admins, and the purge.</summary>
public sealed class OperatorViewsCommandsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Task<CliResult> RunAsAdminAsync(params string[] args) => CliRunner.RunAsync(fixture.Address, TestTokens.Admin, args);

    private static Task<Message> CreateAsync(EventLogClient agent, string host, string user) => agent.Messages.CreateMessageAsync(new CreateMessageRequest
    {
        RequestId = "req-" + Guid.NewGuid().ToString("N"), ActionCode = "001", DetailCode = "003", Level = MessageLevel.Error,
        ResourceType = "volume", ResourceUuid = Guid.NewGuid().ToString(), Host = host, User = user,
    }).WithTimeout();

    private static string[] Ids(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Output);
        return [.. document.RootElement.EnumerateArray().Select(m => m.GetProperty("id").GetString()!).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task MessagesList_ByHostAndUser_AndAcrossProjectsForAdmins()
    {
        var host = "node-" + Guid.NewGuid().ToString("N")[..8];
        var a1 = await CreateAsync(fixture.Agent, host, "alice");
        var a2 = await CreateAsync(fixture.Agent, host, "bob");
        var a3 = await CreateAsync(fixture.Agent, "other-node", "alice");
        var b1 = await CreateAsync(fixture.Server.CreateClient(TestTokens.AgentB), host, "alice");

        Assert.Equal(Sorted(a1.Id, a2.Id), Ids(await fixture.RunAsync("messages", "list", "--host", host, "--json")));
        Assert.Equal(Sorted(a1.Id), Ids(await fixture.RunAsync("messages", "list", "--host", host, "--user", "alice", "--json")));
        Assert.Contains(a3.Id, Ids(await fixture.RunAsync("messages", "list", "--user", "alice", "--json")));
        var show = await fixture.RunAsync("messages", "show", a1.Id);
        Assert.Matches(@"\| user\s+\| alice", show.Output);

        // Every project only when asked, and only for admins.
        Assert.Equal(Sorted(a1.Id, b1.Id), Ids(await RunAsAdminAsync("messages", "list", "--all-projects", "--host", host, "--user", "alice", "--json")));
        Assert.Empty(Ids(await RunAsAdminAsync("messages", "list", "--host", host, "--json")));
        var table = await RunAsAdminAsync("messages", "list", "--all-projects", "--host", host);
        Assert.Contains("| Project ", table.Output, StringComparison.Ordinal);
        Assert.Contains(TestTokens.ProjectB, table.Output, StringComparison.Ordinal);
        var denied = await fixture.RunAsync("messages", "list", "--all-projects");
        Assert.True(denied.ExitCode == ExitCodes.Unauthorized, denied.ToString());
        Assert.Contains("PERMISSION_DENIED", denied.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TasksRequestsAndTimeline_AllProjects_AdminsOnly()
    {
        var agentB = fixture.Server.CreateClient(TestTokens.AgentB);
        var app = "app-" + Guid.NewGuid().ToString("N")[..8];
        var taskA = await fixture.Agent.Tasks.StartTaskAsync(new StartTaskRequest { App = app, TargetUri = "/a" }).WithTimeout();
        var taskB = await agentB.Tasks.StartTaskAsync(new StartTaskRequest { App = app, TargetUri = "/b" }).WithTimeout();

        var tasks = await RunAsAdminAsync("tasks", "list", "--all-projects", "--app", app, "--json");
        Assert.True(tasks.ExitCode == 0, tasks.ToString());
        using (var document = JsonDocument.Parse(tasks.Output))
        {
            Assert.Equal(
                Sorted(taskA.Task.Id.ToString(CultureInfo.InvariantCulture), taskB.Task.Id.ToString(CultureInfo.InvariantCulture)),
                document.RootElement.EnumerateArray().Select(t => t.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        }

        var requests = await RunAsAdminAsync("requests", "list", "--all-projects", "--app", app, "--json");
        Assert.True(requests.ExitCode == 0, requests.ToString());
        using (var document = JsonDocument.Parse(requests.Output))
        {
            Assert.Equal([TestTokens.ProjectA, TestTokens.ProjectB], document.RootElement.EnumerateArray().Select(e => e.GetProperty("project").GetString()!).Distinct().Order(StringComparer.Ordinal));
        }

        var timeline = await RunAsAdminAsync("timeline", "--all-projects", "--limit", "1000", "--json");
        Assert.True(timeline.ExitCode == 0, timeline.ToString());
        using (var document = JsonDocument.Parse(timeline.Output))
        {
            var projects = document.RootElement.EnumerateArray().Where(e => e.GetProperty("app").GetString() == app).Select(e => e.GetProperty("project").GetString()).ToHashSet();
            Assert.Equal([TestTokens.ProjectA, TestTokens.ProjectB], projects.Order(StringComparer.Ordinal));
        }

        foreach (var args in new[] { new[] { "tasks", "list", "--app", app }, ["requests", "list", "--app", app], ["timeline"] })
        {
            var table = await RunAsAdminAsync([.. args, "--all-projects"]);
            Assert.True(table.ExitCode == 0, table.ToString());
            Assert.StartsWith("| Project ", table.Output.Split('\n')[1], StringComparison.Ordinal);
            Assert.Contains($"| {TestTokens.ProjectB} ", table.Output, StringComparison.Ordinal);
        }

        // Without the flag an admin sees its own project only; members may not ask.
        var own = await RunAsAdminAsync("tasks", "list", "--app", app, "--json");
        Assert.True(own.ExitCode == 0 && JsonDocument.Parse(own.Output).RootElement.GetArrayLength() == 0, own.ToString());
        foreach (var args in new[] { new[] { "tasks", "list", "--all-projects" }, ["requests", "list", "--all-projects"], ["timeline", "--all-projects"] })
        {
            var denied = await fixture.RunAsync(args);
            Assert.True(denied.ExitCode == ExitCodes.Unauthorized, $"{string.Join(' ', args)}: {denied}");
        }
    }

    private static string[] Sorted(params string[] ids) => [.. ids.Order(StringComparer.Ordinal)];
}
