using System.Text.Json;
using EventLog.Cli.Tests.Infrastructure;
using EventLog.V1;

namespace EventLog.Cli.Tests;

public sealed class RequestsCommandsTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private long _taskId;

    public async Task InitializeAsync()
    {
        await fixture.Agent.Tasks.RecordRequestAsync(new RecordRequestRequest
        {
            RequestId = "req-clone-1",
            Kind = RequestKind.Post,
            User = "alice",
            ClientIp = "10.1.1.1",
            Status = 202,
            App = "kimchi",
            MessageCode = "KCHVM0003L",
            MessageParams = { ["name"] = "vm1" },
        }).WithTimeout();
        var started = await fixture.Agent.Tasks.StartTaskAsync(new StartTaskRequest { App = "kimchi", TargetUri = "/plugins/kimchi/vms/vm1/clone", SpawningRequestId = "req-clone-1" }).WithTimeout();
        _taskId = started.Task.Id;
        await fixture.Agent.Tasks.FailTaskAsync(_taskId, "KCHVM0001E", new Dictionary<string, string> { ["vm"] = "vm1" }).WithTimeout();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task List_TableAndJson_WithFilters()
    {
        var table = await fixture.RunAsync("requests", "list", "--user", "alice");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("| Time ", table.Output, StringComparison.Ordinal);
        Assert.Contains("alice", table.Output, StringComparison.Ordinal);
        Assert.Contains("FAILED", table.Output, StringComparison.Ordinal);

        var json = await fixture.RunAsync("requests", "list", "--task", _taskId.ToString(), "--kind", "task", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal([1000, 1002], document.RootElement.EnumerateArray().Select(e => e.GetProperty("status").GetInt32()).Order());
    }

    [Fact]
    public async Task Export_PrintsSeedFormatLines()
    {
        var result = await fixture.RunAsync("requests", "export", "--app", "kimchi", "--time-zone", "America/Sao_Paulo");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.Output.Split('\n'), l => l.StartsWith('[') && l.Contains("TASK 1002 kimchi Failure on", StringComparison.Ordinal) && l.Contains("KCHVM0001E", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Export_UnknownTimeZone_ExitsInvalid()
    {
        var result = await fixture.RunAsync("requests", "export", "--time-zone", "Nowhere/Atlantis");

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        Assert.Contains("time_zone", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeline_PrintsLastEvents()
    {
        var result = await fixture.RunAsync("timeline", "--limit", "10");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("TASK", result.Output, StringComparison.Ordinal);
        Assert.Contains("1002", result.Output, StringComparison.Ordinal);
    }
}
