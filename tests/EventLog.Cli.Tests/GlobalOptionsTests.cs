using EventLog.V1;

namespace EventLog.Cli.Tests;

/// <summary>--address and --token work on their own, anywhere on the line, and win over the environment variables.</summary>
public sealed class GlobalOptionsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly Dictionary<string, string?> NoVariables = new()
    {
        [CliRunner.AddressVariable] = null,
        [CliRunner.TokenVariable] = null,
    };

    [Fact]
    public async Task AddressAndTokenFlags_WithTheVariablesUnset_ReachTheServer()
    {
        var id = await StartTaskAsync("/vms/flags/clone");

        var before = await CliRunner.RunWithEnvironmentAsync(NoVariables,
            "--address", fixture.Address.ToString(), "--token", TestTokens.MemberA, "tasks", "show", id, "--json").WithTimeout();
        var after = await CliRunner.RunWithEnvironmentAsync(NoVariables,
            "tasks", "show", id, "--json", "--address", fixture.Address.ToString(), "--token", TestTokens.MemberA).WithTimeout();

        foreach (var result in new[] { before, after })
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            using var document = JsonDocument.Parse(result.Output);
            Assert.Equal(id, document.RootElement.GetProperty("id").GetString());
            Assert.Equal("/vms/flags/clone", document.RootElement.GetProperty("targetUri").GetString());
        }
    }

    [Fact]
    public async Task TokenFlag_WithoutAnyToken_IsUnauthorized()
    {
        var id = await StartTaskAsync("/vms/flags-none/clone");

        var result = await CliRunner.RunWithEnvironmentAsync(NoVariables, "--address", fixture.Address.ToString(), "tasks", "show", id).WithTimeout();

        Assert.True(result.ExitCode == ExitCodes.Unauthorized, result.ToString());
        Assert.Contains("--token", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flags_OverrideTheVariables()
    {
        var id = await StartTaskAsync("/vms/flags-override/clone");
        var wrong = new Dictionary<string, string?>
        {
            // Nothing listens on port 1, and the token is unknown: only the flags can make this work.
            [CliRunner.AddressVariable] = "http://127.0.0.1:1",
            [CliRunner.TokenVariable] = "not-a-token",
        };
        var right = new Dictionary<string, string?>
        {
            [CliRunner.AddressVariable] = fixture.Address.ToString(),
            [CliRunner.TokenVariable] = TestTokens.MemberA,
        };

        var overridden = await CliRunner.RunWithEnvironmentAsync(wrong,
            "tasks", "show", id, "--json", "--address", fixture.Address.ToString(), "--token", TestTokens.MemberA).WithTimeout();
        var badTokenFlag = await CliRunner.RunWithEnvironmentAsync(right, "tasks", "show", id, "--token", "not-a-token").WithTimeout();
        var viaVariables = await CliRunner.RunWithEnvironmentAsync(right, "tasks", "show", id, "--json").WithTimeout();

        Assert.True(overridden.ExitCode == 0, overridden.ToString());
        using (var document = JsonDocument.Parse(overridden.Output))
        {
            Assert.Equal(id, document.RootElement.GetProperty("id").GetString());
        }
        Assert.True(badTokenFlag.ExitCode == ExitCodes.Unauthorized, badTokenFlag.ToString());
        Assert.True(viaVariables.ExitCode == 0, viaVariables.ToString());
    }

    private async Task<string> StartTaskAsync(string target)
    {
        var started = await fixture.Agent.Tasks.StartTaskAsync(new StartTaskRequest { App = "kimchi", TargetUri = target }).WithTimeout();
        return started.Task.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
