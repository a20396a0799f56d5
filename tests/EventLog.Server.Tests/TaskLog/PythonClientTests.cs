using EventLog.V1;
using static EventLog.Server.Tests.TaskLog.TaskLogTestKit;

namespace EventLog.Server.Tests.TaskLog;

/// <summary>
/// A python grpcio client nobody here wrote, with stubs generated at test time from the same protos by
/// grpc_tools (Debian's protoc 3.5.1), drives TaskLog and Messages: the contract works beyond our client.
/// </summary>
public sealed class PythonClientTests
{
    private static readonly TimeSpan PythonTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PythonClient_RecordsStartsFailsTask_CreatesAndListsMessage()
    {
        PythonInterop.Require();
        using var stubs = await PythonInterop.GenerateStubsAsync(
            "eventlog/v1/common.proto", "eventlog/v1/task_log_service.proto", "eventlog/v1/messages_service.proto",
            "google/rpc/status.proto", "google/rpc/error_details.proto");
        await using var kit = await StartAsync();
        var script = Path.Combine(PythonInterop.RepositoryRoot, "tests", "interop", "python", "tasklog_messages_client.py");

        var (exitCode, output) = await PythonProcess.RunAsync(PythonInterop.RepositoryRoot, PythonTimeout,
            script, "--server", $"{kit.Server.Address.Host}:{kit.Server.Address.Port}", "--token", TestTokens.AgentA, "--stubs", stubs.Path);

        Assert.True(exitCode == 0, "python client failed:\n" + output);
        Assert.Contains("PASS", output, StringComparison.Ordinal);

        // What the python client wrote is visible to ours.
        var failed = await kit.Reader.ListRequestsAsync(new ListRequestsRequest { Filter = new RequestFilter { Outcome = RequestOutcome.Failed, Kind = RequestKind.Post } }, deadline: Deadline);
        Assert.Equal("Start to clone vm 'vm-py'", Assert.Single(failed.Entries).Message);
        var messages = await new MessagesService.MessagesServiceClient(kit.Server.CreateChannel(TestTokens.ReaderA))
            .ListMessagesAsync(new ListMessagesRequest { RequestId = failed.Entries[0].RequestId }, deadline: Deadline);
        Assert.Equal("py-host", Assert.Single(messages.Messages).Host);
    }
}
