using System.Diagnostics;
using EventLog.Server.Tests.Infrastructure;
using EventLog.V1;
using static EventLog.Server.Tests.TaskLog.TaskLogTestKit;

namespace EventLog.Server.Tests.TaskLog;

/// <summary>
/// A python grpcio client nobody here wrote, with stubs generated at test time from the same protos by
/// grpc_tools (Debian's protoc 3.5.1), drives TaskLog and Messages: the contract works beyond our client.
/// </summary>
public sealed class PythonClientTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task PythonClient_RecordsStartsFailsTask_CreatesAndListsMessage()
    {
        if (!File.Exists(Python))
        {
            Assert.Fail($"{Python} with python3-grpcio and python3-grpc-tools is required (DESIGN.md section 1).");
        }

        var root = RepositoryRoot();
        var stubs = Directory.CreateTempSubdirectory("eventlog-py-stubs-").FullName;
        try
        {
            var protoc = await RunAsync(root, "-m", "grpc_tools.protoc", "-I", "protos", "--python_out=" + stubs, "--grpc_python_out=" + stubs,
                "protos/eventlog/v1/common.proto", "protos/eventlog/v1/task_log_service.proto", "protos/eventlog/v1/messages_service.proto");
            Assert.True(protoc.ExitCode == 0, "protoc failed: " + protoc.Output);

            await using var kit = await StartAsync();
            var script = Path.Combine(root, "tests", "interop", "python", "tasklog_messages_client.py");
            var client = await RunAsync(root, script, "--server", $"{kit.Server.Address.Host}:{kit.Server.Address.Port}", "--token", TestTokens.AgentA, "--stubs", stubs);
            Assert.True(client.ExitCode == 0, "python client failed:\n" + client.Output);
            Assert.Contains("PASS", client.Output, StringComparison.Ordinal);

            // What the python client wrote is visible to ours.
            var failed = await kit.Reader.ListRequestsAsync(new ListRequestsRequest { Filter = new RequestFilter { Outcome = RequestOutcome.Failed, Kind = RequestKind.Post } }, deadline: Deadline);
            Assert.Equal("Start to clone vm 'vm-py'", Assert.Single(failed.Entries).Message);
        }
        finally
        {
            Directory.Delete(stubs, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Python) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "buf.yaml")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("buf.yaml not found above " + AppContext.BaseDirectory);
    }
}
