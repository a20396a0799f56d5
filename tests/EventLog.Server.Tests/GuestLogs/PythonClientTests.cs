using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EventLog.Server.Tests.Infrastructure;
using EventLog.V1;
using static EventLog.Server.Tests.GuestLogs.GuestLogTestAgent;

namespace EventLog.Server.Tests.GuestLogs;

/// <summary>A python grpcio client (stubs generated at test time by Debian's protoc) reads what a C# client writes.</summary>
public sealed class PythonClientTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task PythonGrpcio_WatchesProgressAndTailsLog_WhileCSharpWrites()
    {
        var root = RepositoryRoot();
        var stubs = Directory.CreateTempSubdirectory("eventlog-py-stubs-").FullName;
        try
        {
            var (protocExit, _, protocErrors) = await RunAsync(Python, root,
                "-m", "grpc_tools.protoc", "-I", "protos", "--python_out=" + stubs, "--grpc_python_out=" + stubs,
                "eventlog/v1/common.proto", "eventlog/v1/provisioning_service.proto", "eventlog/v1/guest_logs_service.proto");
            Assert.True(protocExit == 0, protocErrors);

            await using var server = await TestServer.StartAsync();
            var provisioning = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.AgentA));
            var agent = await PublishTailTests.RegisteredAgentAsync(server);
            var cluster = "cluster-py-" + Guid.NewGuid().ToString("N")[..8];
            var plan = await provisioning.DeclarePlanAsync(new DeclarePlanRequest
            {
                ClusterId = cluster, StepType = StepType.Creating, Steps = { new PlannedStep { Name = "Launching instances", Total = 30 } },
            }).ResponseAsync.WaitAsync(TestTimeout);
            var file = new List<byte>(Encoding.UTF8.GetBytes("boot 1\n"));
            await agent.UploadAsync("guest", [.. file]);

            using var python = Start(Path.Combine(root, "tests", "interop", "python", "progress_guestlogs_client.py"),
                "--address", server.Address.Authority, "--token", TestTokens.ReaderA, "--stubs", stubs,
                "--cluster", cluster, "--events", "30", "--instance", agent.InstanceId, "--log", "guest", "--lines", "61");
            var stderr = python.StandardError.ReadToEndAsync();
            Assert.Equal("READY", await python.StandardOutput.ReadLineAsync().WaitAsync(TestTimeout));

            for (var batch = 0; batch < 6; batch++)
            {
                var events = new RecordEventsRequest { StepId = plan.Steps[0].Id };
                events.Events.Add(Enumerable.Range((batch * 5) + 1, 5).Select(i => new ProvisionEvent { InstanceId = $"i-{i:D2}", Successful = true }));
                await provisioning.RecordEventsAsync(events).ResponseAsync.WaitAsync(TestTimeout);
                var published = file.Count;
                file.AddRange(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 10).Select(i => $"line {(batch * 10) + i + 2}\n"))));
                await agent.UploadAsync("guest", [.. file], offset: published);
            }

            var json = await python.StandardOutput.ReadLineAsync().WaitAsync(TestTimeout);
            await python.WaitForExitAsync().WaitAsync(TestTimeout);
            Assert.True(python.ExitCode == 0, $"python exited {python.ExitCode}: {json}\n{await stderr.WaitAsync(TestTimeout)}");

            using var result = JsonDocument.Parse(json!);
            var sequences = result.RootElement.GetProperty("sequences").EnumerateArray().Select(e => e.GetInt64()).ToList();
            Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
            Assert.Equal(Enumerable.Range(1, 30).Select(i => $"i-{i:D2}"), result.RootElement.GetProperty("instances").EnumerateArray().Select(e => e.GetString()));
            var lines = result.RootElement.GetProperty("lines").EnumerateArray().Select(e => e.GetString()).ToList();
            Assert.Equal(Encoding.UTF8.GetString([.. file]).Split('\n').SkipLast(1), lines);
            Assert.Equal(Enumerable.Range(1, 61), result.RootElement.GetProperty("line_numbers").EnumerateArray().Select(e => e.GetInt32()));
        }
        finally
        {
            Directory.Delete(stubs, recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "protos", "eventlog")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with protos/) was not found above " + AppContext.BaseDirectory);
    }

    private static Process Start(string script, params string[] args)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
    }

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(string program, string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException(program + " did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TestTimeout);
        return (process.ExitCode, await output.WaitAsync(TestTimeout), await errors.WaitAsync(TestTimeout));
    }
}
