using EventLog.Interop.Tests.Infrastructure;
using Xunit;

namespace EventLog.Interop.Tests.Interop;

/// <summary>python grpcio's client (tests/interop/python/interop_client.py) runs each interop case against our server.</summary>
public sealed class PythonClientToOurServerTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    private const string FullDuplexCall = "/grpc.testing.TestService/FullDuplexCall";

    [Theory]
    [MemberData(nameof(InteropClient.CaseNames), MemberType = typeof(InteropClient))]
    public async Task PythonClient_OurServer_Passes(string testCase)
    {
        var errorsBefore = server.Logs.Errors.Count;
        var cancelledBefore = server.Service.CancelledCalls.Count;

        await PythonInteropClient.RunAsync(server.Port, testCase);

        if (testCase == "cancel_after_first_response")
        {
            // The client's RST_STREAM must reach the handler as a fired CancellationToken.
            Assert.True(
                await TaskTimeouts.EventuallyAsync(() => server.Service.CancelledCalls.Skip(cancelledBefore).Contains(FullDuplexCall)),
                "The FullDuplexCall handler never saw the client's cancellation.");
        }
        server.AssertNoNewErrors(errorsBefore);
    }

    [Theory]
    [MemberData(nameof(InteropClient.SizeLimitCaseNames), MemberType = typeof(InteropClient))]
    public async Task PythonClient_OurServer_SizeLimits(string testCase)
    {
        var errorsBefore = server.Logs.Errors.Count;

        await PythonInteropClient.RunAsync(server.Port, testCase);

        server.AssertNoNewErrors(errorsBefore);
    }
}
