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
    public async Task Hash_WithoutArgument_ReadsTheTokenFromStandardInput()
    {
        var result = await CliRunner.RunWithInputAsync("s3cret\n", "token", "hash");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(TokenStore.Hash("s3cret"), result.Output.Trim());
    }

    [Fact]
    public async Task Hash_WithNothingOnStandardInput_IsInvalid()
    {
        var result = await CliRunner.RunWithInputAsync("", "token", "hash");

        Assert.Equal(2, result.ExitCode);
    }
}
