using Xunit;

namespace EventLog.Interop.Tests.Interop;

/// <summary>Our client runs each interop case against python grpcio's server.</summary>
public sealed class OurClientToPythonServerTests(PythonServerFixture server) : IClassFixture<PythonServerFixture>
{
    [Theory]
    [MemberData(nameof(InteropClient.CaseNames), MemberType = typeof(InteropClient))]
    public async Task OurClient_PythonServer_Passes(string testCase)
    {
        using var channel = server.CreateChannel();
        try
        {
            await new InteropClient(channel).RunAsync(testCase);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{testCase} failed against the python server. Its output:\n{server.Output}", ex);
        }
    }

    [Theory]
    [MemberData(nameof(InteropClient.SizeLimitCaseNames), MemberType = typeof(InteropClient))]
    public Task OurClient_PythonServer_SizeLimits(string testCase) => OurClient_PythonServer_Passes(testCase);
}
