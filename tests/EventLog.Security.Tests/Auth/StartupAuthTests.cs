using System.Text.RegularExpressions;
using EventLog.V1;
using Microsoft.Extensions.Options;

namespace EventLog.Security.Tests.Auth;

/// <summary>
/// How the real host starts as far as auth goes: production mode refuses to start without tokens;
/// development mode prints one admin token at start, which works, and is printed nowhere else.
/// </summary>
public sealed partial class StartupAuthTests
{
    private const string NoTokensMessage = "No tokens are configured, and outside the Development environment the server accepts configured tokens only.";

    [Fact]
    public async Task Production_WithoutTokens_InProcessHost_FailsOptionsValidation()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => EventLogHost.StartAsync(withTestTokens: false)).WithTimeout();

        Assert.Equal(typeof(Server.Auth.AuthOptions), ex.OptionsType);
        Assert.Contains(ex.Failures, f => f.Contains(NoTokensMessage, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Production_WithoutTokens_ServerProcess_ExitsWithTheReason()
    {
        // EventLogProcess waits for health; a server that exits instead is reported with its output.
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => EventLogProcess.StartAsync(withTestTokens: false)).WaitAsync(TimeSpan.FromSeconds(90));

        Assert.Matches(ExitedWithFailure(), ex.Message);
        Assert.Contains(NoTokensMessage, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstalledServer_ProductionEnvironment_NoAuthSettings_RefusesToStart_NamingTheSettings()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => EventLogProcess.StartAsync(
            [new("Auth:Mode", null), new("ASPNETCORE_ENVIRONMENT", "Production")], withTestTokens: false)).WaitAsync(TimeSpan.FromSeconds(90));

        Assert.Matches(ExitedWithFailure(), ex.Message);
        Assert.Contains(NoTokensMessage, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:Tokens:0:Sha256", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("admin token is", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevelopmentEnvironment_NoAuthSettings_PrintsADevelopmentToken()
    {
        await using var server = await EventLogProcess.StartAsync(
            [new("Auth:Mode", null), new("ASPNETCORE_ENVIRONMENT", "Development")], withTestTokens: false).WaitAsync(TimeSpan.FromSeconds(90));

        var token = await AnnouncedTokenAsync(server);
        using var channel = server.CreateChannel(token);
        var listed = await new TaskLogService.TaskLogServiceClient(channel).ListTasksAsync(new ListTasksRequest(), deadline: TestTimeouts.Deadline()).ResponseAsync.WithTimeout();
        Assert.NotNull(listed);
    }

    [Fact]
    public async Task Development_PrintsAnAdminTokenAtStart_ThatWorks_AndIsPrintedNowhereElse()
    {
        await using var server = await EventLogProcess.StartAsync(
            [
                new("Auth:Mode", "Development"),
                // Every call is logged: the token must not be in those lines either.
                new("Logging:LogLevel:Default", "Information"),
                new("Logging:LogLevel:EventLog.Server.Observability", "Debug"),
            ],
            withTestTokens: false).WaitAsync(TimeSpan.FromSeconds(90));

        var token = await AnnouncedTokenAsync(server);
        using var channel = server.CreateChannel(token);
        var client = new TaskLogService.TaskLogServiceClient(channel);
        var started = await client.StartTaskAsync(
            new StartTaskRequest { Project = "default", App = "kimchi", TargetUri = "/vms/dev/clone" },
            new Metadata { { "x-request-id", "dev-start-1" } },
            TestTimeouts.Deadline()).ResponseAsync.WithTimeout();
        var listed = await client.ListTasksAsync(new ListTasksRequest { Project = "default" }, new Metadata { { "x-request-id", "dev-list-1" } }, TestTimeouts.Deadline()).ResponseAsync.WithTimeout();
        Assert.Contains(listed.Tasks, t => t.Id == started.Task.Id);
        using var wrong = server.CreateChannel(token + "x");
        var refused = await Assert.ThrowsAsync<RpcException>(() => new TaskLogService.TaskLogServiceClient(wrong)
            .ListTasksAsync(new ListTasksRequest(), new Metadata { { "x-request-id", "dev-wrong-1" } }, TestTimeouts.Deadline()).ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);

        // The console logger writes asynchronously: wait for the three call lines before reading it all.
        var output = await OutputContainingAsync(server, "dev-start-1", "dev-list-1", "dev-wrong-1");
        Assert.Equal(1, Occurrences(output, token));
        var announcement = output.Split('\n').Single(l => l.Contains(token, StringComparison.Ordinal));
        Assert.Contains("Development mode: the admin token is " + token, announcement, StringComparison.Ordinal);
        Assert.Equal(0, Occurrences(output, token + "x"));
        Assert.Matches(new Regex(@"request dev-start-1, principal development-admin,"), output);
        Assert.Matches(new Regex(@"request dev-wrong-1, principal -,"), output);
    }

    [Fact]
    public async Task Production_WithTokens_PrintsNoToken()
    {
        await using var server = await EventLogProcess.StartAsync([new("Logging:LogLevel:Default", "Information"), new("Logging:LogLevel:EventLog.Server.Observability", "Debug")]).WaitAsync(TimeSpan.FromSeconds(90));
        using var channel = server.CreateChannel(TestTokens.ReaderA);
        await new TaskLogService.TaskLogServiceClient(channel)
            .ListTasksAsync(new ListTasksRequest(), new Metadata { { "x-request-id", "prod-list-1" } }, TestTimeouts.Deadline()).ResponseAsync.WithTimeout();

        var output = await OutputContainingAsync(server, "prod-list-1");
        Assert.DoesNotContain("admin token", output, StringComparison.Ordinal);
        Assert.All(TestTokens.All, t => Assert.DoesNotContain(t.Token, output, StringComparison.Ordinal));
        Assert.Contains("request prod-list-1, principal reader-a,", output, StringComparison.Ordinal);
    }

    private static async Task<string> AnnouncedTokenAsync(EventLogProcess server)
    {
        var until = DateTime.UtcNow + TestTimeouts.Default;
        while (true)
        {
            if (AdminToken().Match(server.Output) is { Success: true } match)
            {
                return match.Groups["token"].Value;
            }
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"No admin token line in the server's output:\n{server.Output}");
            }
            await Task.Delay(100);
        }
    }

    private static async Task<string> OutputContainingAsync(EventLogProcess server, params string[] texts)
    {
        var until = DateTime.UtcNow + TestTimeouts.Default;
        while (!texts.All(t => server.Output.Contains(t, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Expected {string.Join(", ", texts)} in the server's output:\n{server.Output}");
            }
            await Task.Delay(100);
        }
        return server.Output;
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    [GeneratedRegex(@"the admin token is (?<token>\S+)\.")]
    private static partial Regex AdminToken();

    [GeneratedRegex(@"The server exited with [1-9][0-9]*:|The server exited with -[0-9]+:")]
    private static partial Regex ExitedWithFailure();
}
