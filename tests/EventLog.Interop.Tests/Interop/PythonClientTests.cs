using EventLog.Interop.Tests.Hosting;

namespace EventLog.Interop.Tests.Interop;

/// <summary>python grpcio, with stubs generated from protos/ at test time, against the real host.</summary>
public sealed class PythonClientTests(RealHostFixture host) : IClassFixture<RealHostFixture>
{
    [SkippableFact]
    public async Task PythonGrpcio_WriteListWatchAndErrorDetails()
    {
        var mark = host.OutputMark;

        using var client = await PythonEventLogClient.RunAsync(host, compression: "none");

        PeerScenario.AssertPassed(client, host);
        await host.AssertNoErrorLogsAsync(mark);
    }
}
