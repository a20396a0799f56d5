using EventLog.Cli.Tests.Infrastructure;
using EventLog.Server.Auth;

namespace EventLog.Cli.Tests;

public sealed class TokenCommandsTests
{
    [Fact]
    public async Task Hash_PrintsWhatTheServerExpects()
    {
        var result = await CliRunner.RunAsync(new Uri("http://127.0.0.1:1"), null, "token", "hash", "s3cret");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(TokenStore.Hash("s3cret"), result.Output.Trim());
    }

    [Fact]
    public async Task Help_IsAvailableOnEveryCommand()
    {
        foreach (var path in new[] { "tasks", "tasks tail", "requests export", "messages list", "progress watch", "logs save", "timeline", "token hash" })
        {
            var result = await CliRunner.RunAsync(new Uri("http://127.0.0.1:1"), null, [.. path.Split(' '), "--help"]);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("Usage:", result.Output, StringComparison.Ordinal);
        }
    }
}
