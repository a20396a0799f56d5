using System.Text;
using System.Text.Json;
using EventLog.V1;
using static EventLog.Server.Tests.GuestLogs.GuestLogTestAgent;

namespace EventLog.Server.Tests.GuestLogs;

/// <summary>A python grpcio client (stubs generated at test time by Debian's protoc) reads what a C# client writes.</summary>
public sealed class PythonClientTests
{
    [Fact]
    public async Task PythonGrpcio_WatchesProgressAndTailsLog_WhileCSharpWrites()
    {
        PythonInterop.Require();
        using var stubs = await PythonInterop.GenerateStubsAsync(
            "eventlog/v1/common.proto", "eventlog/v1/provisioning_service.proto", "eventlog/v1/guest_logs_service.proto");
        await using var server = await EventLogHost.StartAsync();
        var provisioning = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.AgentA));
        var agent = await PublishTailTests.RegisteredAgentAsync(server);
        var cluster = "cluster-py-" + Guid.NewGuid().ToString("N")[..8];
        var plan = await provisioning.DeclarePlanAsync(new DeclarePlanRequest
        {
            ClusterId = cluster, StepType = StepType.Creating, Steps = { new PlannedStep { Name = "Launching instances", Total = 30 } },
        }).ResponseAsync.WaitAsync(TestTimeout);
        var file = new List<byte>(Encoding.UTF8.GetBytes("boot 1\n"));
        await agent.UploadAsync("guest", [.. file]);

        // Killed on dispose if an assertion below fails while it still runs.
        await using var python = PythonProcess.Start(PythonInterop.RepositoryRoot,
            Path.Combine(PythonInterop.RepositoryRoot, "tests", "interop", "python", "progress_guestlogs_client.py"),
            "--address", server.Address.Authority, "--token", TestTokens.ReaderA, "--stubs", stubs.Path,
            "--cluster", cluster, "--events", "30", "--instance", agent.InstanceId, "--log", "guest", "--lines", "61");
        Assert.Equal("READY", await python.ReadLineAsync(TestTimeout));

        for (var batch = 0; batch < 6; batch++)
        {
            var events = new RecordEventsRequest { StepId = plan.Steps[0].Id };
            events.Events.Add(Enumerable.Range((batch * 5) + 1, 5).Select(i => new ProvisionEvent { InstanceId = $"i-{i:D2}", Successful = true }));
            await provisioning.RecordEventsAsync(events).ResponseAsync.WaitAsync(TestTimeout);
            var published = file.Count;
            file.AddRange(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 10).Select(i => $"line {(batch * 10) + i + 2}\n"))));
            await agent.UploadAsync("guest", [.. file], offset: published);
        }

        var json = await python.ReadLineAsync(TestTimeout);
        await python.WaitForExitAsync(TestTimeout);
        Assert.True(python.ExitCode == 0, $"python exited {python.ExitCode}: {json}\n{python.Errors}");

        using var result = JsonDocument.Parse(json!);
        var sequences = result.RootElement.GetProperty("sequences").EnumerateArray().Select(e => e.GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
        Assert.Equal(Enumerable.Range(1, 30).Select(i => $"i-{i:D2}"), result.RootElement.GetProperty("instances").EnumerateArray().Select(e => e.GetString()));
        var lines = result.RootElement.GetProperty("lines").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(Encoding.UTF8.GetString([.. file]).Split('\n').SkipLast(1), lines);
        Assert.Equal(Enumerable.Range(1, 61), result.RootElement.GetProperty("line_numbers").EnumerateArray().Select(e => e.GetInt32()));
    }
}
