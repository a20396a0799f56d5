using EventLog.Interop.Tests.Infrastructure;
using Xunit;

namespace EventLog.Interop.Tests.Interop;

/// <summary>Runs python grpcio's interop client (tests/interop/python/interop_client.py) for one case.</summary>
public static class PythonInteropClient
{
    /// <summary>Runs the case against 127.0.0.1:<paramref name="port"/> and fails with the client's output unless it passed.</summary>
    public static async Task RunAsync(int port, string testCase, string compression = "none")
    {
        var stubs = await PythonStubs.GetAsync().WithTimeout(TimeSpan.FromSeconds(90));
        using var client = await ChildProcess.RunAsync(
            ExternalTools.Python,
            [
                Path.Combine(ExternalTools.PythonScripts, "interop_client.py"),
                "--server", $"127.0.0.1:{port}", "--test_case", testCase, "--stubs", stubs, "--compression", compression,
            ],
            TimeSpan.FromSeconds(60));
        Assert.True(
            client.ExitCode == 0 && client.Output.Contains("PASS " + testCase, StringComparison.Ordinal),
            $"`{client.CommandLine}` exited {client.ExitCode}:\n{client.Output}");
    }
}
