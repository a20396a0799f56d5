using EventLog.Interop.Tests.Infrastructure;
using Xunit;

namespace EventLog.Interop.Tests.Interop;

/// <summary>A @grpc/grpc-js client (tests/interop/node/interop_client.js) against our server.</summary>
public sealed class GrpcJsClientTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    [Fact]
    public async Task GrpcJsClient_UnaryStreamingAndNonAsciiStatus_Pass()
    {
        var node = ExternalTools.RequireNode();
        var errorsBefore = server.Logs.Errors.Count;

        using var client = await ChildProcess.RunAsync(
            node, [Path.Combine(ExternalTools.NodeScripts, "interop_client.js"), $"127.0.0.1:{server.Port}"], TimeSpan.FromSeconds(60));

        Assert.True(client.ExitCode == 0, $"`{client.CommandLine}` exited {client.ExitCode}:\n{client.Output}");
        foreach (var testCase in new[] { "unary", "server_streaming", "non_ascii_status" })
        {
            Assert.Contains("PASS " + testCase, client.Output, StringComparison.Ordinal);
        }
        server.AssertNoNewErrors(errorsBefore);
    }
}
