using EventLog.V1;
using Google.Protobuf.WellKnownTypes;
using static EventLog.Server.Tests.TaskLog.TaskLogTestKit;

namespace EventLog.Server.Tests.TaskLog;

public sealed class ExportTests
{
    // The seed's entry is from 2016, far past the request log's retention: the reaper's first round, which may run
    // at any moment after start, would rightly delete it while the test reads it.
    private static readonly (string, string) KeepOldEntries = ("Storage:Retention:Enabled", "false");

    private const string SeedLine =
        "[2016-08-12 11:49:55 BRT] TASK 1002 kimchi Failure on Kimchi task ID 100: /plugins/kimchi/vms/name/clone (KCHVM0001E failed to clone vm 'name')";

    [Theory]
    [InlineData("America/Sao_Paulo")]
    [InlineData("BRT")]
    public async Task Export_SeedExample_ProducesTheSeedsLine(string zone)
    {
        await using var kit = await StartAsync(KeepOldEntries);
        await RecordSeedEntryAsync(kit);

        var lines = await ExportAsync(kit, new ExportRequestsRequest { TimeZone = zone });

        Assert.Equal([SeedLine], lines);
    }

    [Fact]
    public async Task Export_ARealTaskStartedThenFailed_ProducesTheSeedsLine()
    {
        // The seed's task: Kimchi task 100 cloning vm 'name', failing at 2016-08-12 11:49:55 BRT (14:49:55 UTC).
        var clock = new ManualClock(new DateTimeOffset(2016, 8, 12, 14, 40, 0, TimeSpan.Zero));
        await using var kit = await StartAsync(clock.ReplaceIn);
        for (var i = 1; i < 100; i++)
        {
            await kit.StartTaskAsync($"/plugins/kimchi/vms/other-{i}/clone");
        }

        await kit.RecordAsync("req-clone-name", parameters: ("name", "name"));
        var task = await kit.StartTaskAsync("/plugins/kimchi/vms/name/clone", spawningRequestId: "req-clone-name");
        Assert.Equal(100, task.Id);
        clock.UtcNow = new DateTimeOffset(2016, 8, 12, 14, 49, 55, TimeSpan.Zero);
        var fail = new FailTaskRequest { TaskId = task.Id, DetailCode = "KCHVM0001E" };
        fail.DetailParams["vm"] = "name";
        await kit.Agent.FailTaskAsync(fail, deadline: Deadline);

        var failure = await ExportAsync(kit, new ExportRequestsRequest { TimeZone = "America/Sao_Paulo", Filter = new RequestFilter { TaskId = task.Id, Status = 1002 } });
        Assert.Equal([SeedLine], failure);

        // The whole story of the request, oldest first: the request, its task's start, the failure, which is now its outcome.
        var story = await ExportAsync(kit, new ExportRequestsRequest { TimeZone = "America/Sao_Paulo", Filter = new RequestFilter { TaskId = task.Id } });
        Assert.Equal(
        [
            "[2016-08-12 11:40:00 BRT] POST 202 admin 192.168.1.5 kimchi Start to clone vm 'name'",
            "[2016-08-12 11:40:00 BRT] TASK 1000 kimchi Started Kimchi task ID 100: /plugins/kimchi/vms/name/clone",
            SeedLine,
        ], story);
        var spawning = await kit.Reader.ListRequestsAsync(new ListRequestsRequest { Filter = new RequestFilter { RequestId = "req-clone-name", Kind = RequestKind.Post } }, deadline: Deadline);
        Assert.Equal(RequestOutcome.Failed, Assert.Single(spawning.Entries).Outcome);
        var read = await kit.Reader.GetTaskAsync(new GetTaskRequest { TaskId = task.Id }, deadline: Deadline);
        Assert.Equal(TimeSpan.FromSeconds(595), read.Task.Duration.ToTimeSpan());
    }

    [Fact]
    public async Task Export_IsOldestFirst_ResumableFromASequence_AndRenderedInTheCallersLocale()
    {
        await using var kit = await StartAsync(("TaskLog:ExportBatchEntries", "2"), KeepOldEntries);
        var spawning = (await kit.RecordAsync("req-1")).Entry;
        var task = await kit.StartTaskAsync("/plugins/kimchi/vms/vm1/clone", "req-1");
        await kit.Agent.CompleteTaskAsync(new CompleteTaskRequest { TaskId = task.Id }, deadline: Deadline);
        await RecordSeedEntryAsync(kit);

        var utc = await ExportAsync(kit, new ExportRequestsRequest());
        Assert.Equal(4, utc.Count);
        Assert.Matches(@"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\] POST 202 admin 192\.168\.1\.5 kimchi Start to clone vm 'vm1'$", utc[0]);
        Assert.EndsWith($"TASK 1000 kimchi Started Kimchi task ID {task.Id}: /plugins/kimchi/vms/vm1/clone", utc[1], StringComparison.Ordinal);
        Assert.EndsWith($"TASK 1001 kimchi Successfully completed Kimchi task ID {task.Id}: /plugins/kimchi/vms/vm1/clone", utc[2], StringComparison.Ordinal);
        Assert.StartsWith("[2016-08-12 14:49:55 UTC] TASK 1002", utc[3], StringComparison.Ordinal);

        var resumed = await ExportAsync(kit, new ExportRequestsRequest { AfterSequence = spawning.Sequence, Locale = "pt-BR", Filter = new RequestFilter { Kind = RequestKind.Task } });
        Assert.Equal(3, resumed.Count);
        Assert.Contains($"Iniciada a tarefa Kimchi de ID {task.Id}", resumed[0], StringComparison.Ordinal);
        Assert.EndsWith("(KCHVM0001E falha ao clonar a vm 'name')", resumed[2], StringComparison.Ordinal);

        await RpcAssert.InvalidArgumentAsync("time_zone", () => ExportAsync(kit, new ExportRequestsRequest { TimeZone = "Nowhere/Special" }));
        await RpcAssert.InvalidArgumentAsync("locale", () => ExportAsync(kit, new ExportRequestsRequest { Locale = "not a locale!" }));
    }

    // The seed's entry as a Wok node records it: zone abbreviation, TASK kind, task 100.
    private static Task RecordSeedEntryAsync(TaskLogTestKit kit)
    {
        var request = new RecordRequestRequest
        {
            RequestId = "wok-task-100-failed", Time = Timestamp.FromDateTime(new DateTime(2016, 8, 12, 14, 49, 55, DateTimeKind.Utc)),
            TimeZone = "BRT", Kind = RequestKind.Task, Status = 1002, App = "kimchi", MessageCode = "WOKASYNC0002L", DetailCode = "KCHVM0001E",
        };
        request.MessageParams["target_uri"] = "/plugins/kimchi/vms/name/clone";
        request.MessageParams["task_id"] = "100";
        request.DetailParams["vm"] = "name";
        return kit.Agent.RecordRequestAsync(request, deadline: Deadline).ResponseAsync;
    }

    private static async Task<List<string>> ExportAsync(TaskLogTestKit kit, ExportRequestsRequest request)
    {
        using var call = kit.Reader.ExportRequests(request, deadline: Deadline);
        var lines = new List<string>();
        long sequence = 0;
        while (await NextAsync(call.ResponseStream) is { } response)
        {
            Assert.True(response.Sequence > sequence);
            sequence = response.Sequence;
            lines.AddRange(response.Lines);
        }

        return lines;
    }
}
