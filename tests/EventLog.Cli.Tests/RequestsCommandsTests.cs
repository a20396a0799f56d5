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

    [Fact]
    public async Task Timeline_Node_ShowsOnlyThatNodesEvents_AndListNodeIsItsHistoryInTimeOrder()
    {
        var start = DateTime.UtcNow.AddHours(-2);
        foreach (var (id, node, minute) in new[] { ("hist-a", "cli-n1", 30), ("hist-b", "cli-n2", 20), ("hist-c", "cli-n1", 10), ("hist-d", "cli-n1", 40) })
        {
            await fixture.Agent.Tasks.RecordRequestAsync(new RecordRequestRequest
            {
                RequestId = id, Node = node, Time = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(start.AddMinutes(minute)),
                Kind = RequestKind.Get, Status = 200, App = "kimchi", MessageCode = "KCHVM0003L", MessageParams = { ["name"] = "vm1" },
            }).WithTimeout();
        }

        var timeline = await fixture.RunAsync("timeline", "--node", "cli-n1", "--limit", "2", "--json");
        var table = await fixture.RunAsync("timeline", "--node", "cli-n2");
        var history = await fixture.RunAsync("requests", "list", "--node", "cli-n1", "--json");
        var oldestFirst = await fixture.RunAsync("requests", "list", "--node", "cli-n1", "--oldest-first", "--limit", "2", "--json");

        Assert.Equal(["hist-d", "hist-a"], RequestIds(timeline));
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("| Node ", table.Output, StringComparison.Ordinal);
        Assert.Contains("cli-n2", table.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("cli-n1", table.Output, StringComparison.Ordinal);
        Assert.Equal(["hist-d", "hist-a", "hist-c"], RequestIds(history));
        Assert.Equal(["hist-a", "hist-c"], RequestIds(oldestFirst));
    }

    [Fact]
    public async Task Timeline_TooLongNode_ExitsInvalid_NamingTheField()
    {
        var result = await fixture.RunAsync("timeline", "--node", new string('n', 129));

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        Assert.Contains("node", result.Error, StringComparison.Ordinal);
    }

    private static List<string?> RequestIds(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.EnumerateArray().Select(e => e.GetProperty("requestId").GetString()).ToList();
    }
}
