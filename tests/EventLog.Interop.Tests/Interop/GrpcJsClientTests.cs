using EventLog.Interop.Tests.Hosting;

namespace EventLog.Interop.Tests.Interop;

/// <summary>@grpc/grpc-js with @grpc/proto-loader (tests/interop/node/eventlog_client.js) against the real host.</summary>
public sealed class GrpcJsClientTests(RealHostFixture host) : IClassFixture<RealHostFixture>
{
    [SkippableFact]
    public async Task GrpcJs_WriteListWatchAndErrorDetails()
    {
        var node = ExternalTools.SkipUnlessNode();
        var mark = host.OutputMark;

        using var client = await ChildProcess.RunAsync(
            node, [Path.Combine(ExternalTools.NodeScripts, "eventlog_client.js"), .. PeerScenario.Arguments(host, "node")], TimeSpan.FromSeconds(60));

        PeerScenario.AssertPassed(client, host);
        await host.AssertNoErrorLogsAsync(mark);
    }
}
