using EventLog.Interop.Tests.Hosting;

namespace EventLog.Interop.Tests.Interop;

/// <summary>Runs tests/interop/python/eventlog_client.py against a host.</summary>
public static class PythonEventLogClient
{
    /// <summary>Runs the peer scenario; <paramref name="compression"/> <c>gzip</c> compresses every request message.</summary>
    public static async Task<ChildProcess> RunAsync(RealHostFixture host, string compression)
    {
        var stubs = await PythonStubs.GetAsync().WithTimeout(TimeSpan.FromSeconds(90));
        return await ChildProcess.RunAsync(
            ExternalTools.Python,
            [Path.Combine(ExternalTools.PythonScripts, "eventlog_client.py"), .. PeerScenario.Arguments(host, "py"), "--stubs", stubs, "--compression", compression],
            TimeSpan.FromSeconds(60));
    }
}
