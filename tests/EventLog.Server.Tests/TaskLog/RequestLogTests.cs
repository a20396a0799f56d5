using EventLog.V1;
using Google.Protobuf.WellKnownTypes;
using static EventLog.Server.Tests.TaskLog.TaskLogTestKit;

namespace EventLog.Server.Tests.TaskLog;

public sealed class RequestLogTests
{
    [Fact]
    public async Task RecordRequest_RendersMessageFromCatalog()
    {
        await using var kit = await StartAsync();
        var entry = (await kit.RecordAsync("req-1")).Entry;

        Assert.Equal("Start to clone vm 'vm1'", entry.Message);
        Assert.Equal(TestTokens.ProjectA, entry.Project);
        Assert.Equal(RequestKind.Post, entry.Kind);
        Assert.Equal(RequestOutcome.Succeeded, entry.Outcome);
        Assert.True(entry.Sequence > 0);
    }

    [Fact]
    public async Task RecordRequest_PasswordParam_IsNeverStored()
    {
        await using var kit = await StartAsync();
        var entry = (await kit.RecordAsync("req-login", "WOKUSER0001L", 200, RequestKind.Post,
            ("username", "root"), ("password", "hunter2"), ("api_token", "abc"), ("SecretKey", "xyz"), ("passwd", "s3cr3t-pw"))).Entry;

        Assert.Equal("***", entry.MessageParams["password"]);
        Assert.Equal("***", entry.MessageParams["api_token"]);
        Assert.Equal("***", entry.MessageParams["SecretKey"]);
        Assert.Equal("***", entry.MessageParams["passwd"]);
        Assert.Equal("User 'root' login", entry.Message);
        var stored = await kit.Server.Services.GetRequiredService<EventLog.Storage.TaskLog.ITaskLogRepository>().GetRequestAsync(entry.Sequence).WaitAsync(CallTimeout);
        Assert.NotNull(stored);
        Assert.DoesNotContain("hunter2", stored.MessageParams, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", stored.MessageParams, StringComparison.Ordinal);
        Assert.DoesNotContain("xyz", stored.MessageParams, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-pw", stored.MessageParams, StringComparison.Ordinal);

        // The names stay (an operator sees that a password was given), only the values are masked; a harmless one is kept.
        var storedParams = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(stored.MessageParams)!;
        Assert.Equal(new Dictionary<string, string>
        {
            ["username"] = "root", ["password"] = "***", ["api_token"] = "***", ["SecretKey"] = "***", ["passwd"] = "***",
        }, storedParams);
    }

    [Fact]
    public async Task FailTask_SecretDetailParam_IsNeverStored()
    {
        await using var kit = await StartAsync();
        var task = await kit.StartTaskAsync();
        var fail = new FailTaskRequest { TaskId = task.Id, DetailCode = "WOKASYNC0002E" };
        fail.DetailParams["err"] = "connection refused";
        fail.DetailParams["db_password"] = "hunter2";
        var failed = await kit.Agent.FailTaskAsync(fail, deadline: Deadline);

        Assert.Equal("***", failed.Task.DetailParams["db_password"]);
        var repository = kit.Server.Services.GetRequiredService<EventLog.Storage.TaskLog.ITaskLogRepository>();
        var storedTask = await repository.GetTaskAsync(task.Id).WaitAsync(CallTimeout);
        Assert.NotNull(storedTask);
        Assert.DoesNotContain("hunter2", storedTask.DetailParams ?? "", StringComparison.Ordinal);
        var storedEntry = await repository.GetRequestAsync(failed.Entry.Sequence).WaitAsync(CallTimeout);
        Assert.NotNull(storedEntry);
        Assert.DoesNotContain("hunter2", storedEntry.DetailParams ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordRequest_Retry_ReturnsFirstEntry()
    {
        await using var kit = await StartAsync();
        var first = (await kit.RecordAsync("req-same")).Entry;
        var retry = (await kit.RecordAsync("req-same", status: 500)).Entry;

        Assert.Equal(first.Sequence, retry.Sequence);
        Assert.Equal(202, retry.Status);
        var list = await kit.Reader.ListRequestsAsync(new ListRequestsRequest { Filter = new RequestFilter { RequestId = "req-same" } }, deadline: Deadline);
        Assert.Single(list.Entries);
    }

    [Fact]
    public async Task FailedTask_TurnsSpawningRequestOutcomeIntoFailure()
    {
        await using var kit = await StartAsync();
        var spawning = (await kit.RecordAsync("req-clone")).Entry;
        Assert.Equal(RequestOutcome.Succeeded, spawning.Outcome);
        var task = await kit.StartTaskAsync(spawningRequestId: "req-clone");

        var pending = await kit.Reader.ListRequestsAsync(new ListRequestsRequest { Filter = new RequestFilter { RequestId = "req-clone", Kind = RequestKind.Post } }, deadline: Deadline);
        Assert.Equal(RequestOutcome.Pending, Assert.Single(pending.Entries).Outcome);
        Assert.Equal(task.Id, pending.Entries[0].TaskId);

        var fail = new FailTaskRequest { TaskId = task.Id, DetailCode = "KCHVM0001E" };
        fail.DetailParams["vm"] = "vm1";
        await kit.Agent.FailTaskAsync(fail, deadline: Deadline);

        var failed = await kit.Reader.ListRequestsAsync(new ListRequestsRequest { Filter = new RequestFilter { Outcome = RequestOutcome.Failed } }, deadline: Deadline);
        var request = Assert.Single(failed.Entries, e => e.Kind == RequestKind.Post);
        Assert.Equal(spawning.Sequence, request.Sequence);
        Assert.Equal(202, request.Status);
        Assert.Contains(failed.Entries, e => e.Kind == RequestKind.Task && e.Status == 1002);
        var succeeded = await kit.Reader.ListRequestsAsync(new ListRequestsRequest { Filter = new RequestFilter { Outcome = RequestOutcome.Succeeded, Kind = RequestKind.Post } }, deadline: Deadline);
        Assert.Empty(succeeded.Entries);
    }

    [Fact]
    public async Task RequestLoggedAfterItsTaskStarted_StillFollowsTheTask()
    {
        await using var kit = await StartAsync();
        var task = await kit.StartTaskAsync(spawningRequestId: "req-late");
        var entry = (await kit.RecordAsync("req-late")).Entry;
        Assert.Equal(task.Id, entry.TaskId);
        Assert.Equal(RequestOutcome.Pending, entry.Outcome);

        await kit.Agent.CompleteTaskAsync(new CompleteTaskRequest { TaskId = task.Id }, deadline: Deadline);
        var list = await kit.Reader.ListRequestsAsync(new ListRequestsRequest { Filter = new RequestFilter { TaskId = task.Id }, OldestFirst = true }, deadline: Deadline);
        Assert.Equal([1000, 202, 1001], list.Entries.Select(e => e.Status));
        Assert.All(list.Entries, e => Assert.Equal(RequestOutcome.Succeeded, e.Outcome));
    }

    [Fact]
    public async Task ListRequests_DuringATaskOfAnotherProject_IsNotFound_LikeATaskThatNeverExisted()
    {
        await using var kit = await StartAsync();
        var task = await kit.StartTaskAsync();

        var otherProject = await RpcAssert.ThrowsAsync(StatusCode.NotFound, () =>
            kit.ReaderB.ListRequestsAsync(new ListRequestsRequest { Filter = new RequestFilter { DuringTaskId = task.Id } }, deadline: Deadline).ResponseAsync);
        var missing = await RpcAssert.ThrowsAsync(StatusCode.NotFound, () =>
            kit.ReaderB.ListRequestsAsync(new ListRequestsRequest { Filter = new RequestFilter { DuringTaskId = task.Id + 1000 } }, deadline: Deadline).ResponseAsync);
        Assert.Equal(missing.Status.Detail.Replace((task.Id + 1000).ToString(System.Globalization.CultureInfo.InvariantCulture), "N", StringComparison.Ordinal),
            otherProject.Status.Detail.Replace(task.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "N", StringComparison.Ordinal));
        var own = await kit.Reader.ListRequestsAsync(new ListRequestsRequest { Filter = new RequestFilter { DuringTaskId = task.Id } }, deadline: Deadline);
        Assert.NotNull(own);
    }

    [Fact]
    public async Task ListRequests_Filters_PagesAndDuringTask()
    {
        await using var kit = await StartAsync();
        await kit.RecordAsync("before", "KCHVM0002L", 204, RequestKind.Delete);
        var task = await kit.StartTaskAsync();
        for (var i = 0; i < 5; i++)
        {
            await kit.RecordAsync("during-" + i, "KCHVM0004L", i < 3 ? 200 : 404, RequestKind.Put);
        }

        await kit.Agent.CompleteTaskAsync(new CompleteTaskRequest { TaskId = task.Id }, deadline: Deadline);
        await Task.Delay(20);
        await kit.RecordAsync("after", "KCHVM0002L", 204, RequestKind.Delete);

        var during = await kit.Reader.ListRequestsAsync(new ListRequestsRequest { Filter = new RequestFilter { DuringTaskId = task.Id, Kind = RequestKind.Put } }, deadline: Deadline);
        Assert.Equal(5, during.Entries.Count);
        var notFound = await kit.Reader.ListRequestsAsync(new ListRequestsRequest { Filter = new RequestFilter { Kind = RequestKind.Put, Status = 404 } }, deadline: Deadline);
        Assert.Equal(2, notFound.Entries.Count);
        Assert.All(notFound.Entries, e => Assert.Equal(RequestOutcome.Failed, e.Outcome));

        var seen = new List<long>();
        string token = "";
        var pages = 0;
        do
        {
            var page = await kit.Reader.ListRequestsAsync(new ListRequestsRequest { PageSize = 3, PageToken = token, Filter = new RequestFilter { App = "kimchi" } }, deadline: Deadline);
            seen.AddRange(page.Entries.Select(e => e.Sequence));
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0);
        Assert.Equal(9, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(3, pages);
        Assert.Equal(seen.OrderByDescending(s => s), seen);
    }

    [Fact]
    public async Task Timeline_LastNAcrossAppsAndNodes_NewestFirstByTime_InTheReadersLocale()
    {
        await using var kit = await StartAsync();
        var now = DateTime.UtcNow;

        // Seed 001's timeline: events of several nodes and apps, sequenced by their time stamps. Node 3 reports
        // its older event late, so insertion order is not time order.
        await RecordAtAsync(kit, "t-1", now.AddMinutes(-50), "kimchi", "10.0.0.1", "KCHVM0001L", ("template", "fedora"));
        await RecordAtAsync(kit, "t-2", now.AddMinutes(-40), "gingerbase", "10.0.0.2", "GGBUPDATE0001L");
        await RecordAtAsync(kit, "t-4", now.AddMinutes(-20), "kimchi", "10.0.0.1", "KCHVM0002L", ("name", "vm1"));
        await RecordAtAsync(kit, "t-3", now.AddMinutes(-30), "ginger", "10.0.0.3", "WOKUSER0001L", ("username", "root"));
        await RecordAtAsync(kit, "t-5", now.AddMinutes(-10), "wok", "10.0.0.4", "WOKUSER0002L", ("username", "root"));
        var task = await kit.StartTaskAsync(target: "/plugins/kimchi/vms/vm9/clone");

        // Another project's newer entry never shows.
        var otherProject = new RecordRequestRequest { RequestId = "t-b", Kind = RequestKind.Post, Status = 200, App = "kimchi", MessageCode = "KCHVM0002L" };
        await new TaskLogService.TaskLogServiceClient(kit.Server.CreateChannel(TestTokens.AgentB)).RecordRequestAsync(otherProject, deadline: Deadline);

        var timeline = await kit.Reader.GetTimelineAsync(new GetTimelineRequest { Limit = 3, Locale = "pt-BR" }, deadline: Deadline);

        Assert.Equal([RequestKind.Task, RequestKind.Post, RequestKind.Post], timeline.Entries.Select(e => e.Kind));
        Assert.Equal(["", "t-5", "t-4"], timeline.Entries.Select(e => e.Kind == RequestKind.Task ? "" : e.RequestId));
        Assert.Equal(["kimchi", "wok", "kimchi"], timeline.Entries.Select(e => e.App));
        Assert.Equal(["", "10.0.0.4", "10.0.0.1"], timeline.Entries.Select(e => e.ClientIp));
        Assert.Equal($"Iniciada a tarefa Kimchi de ID {task.Id}: /plugins/kimchi/vms/vm9/clone", timeline.Entries[0].Message);
        Assert.All(timeline.Entries, e => Assert.Equal(TestTokens.ProjectA, e.Project));

        var all = await kit.Reader.GetTimelineAsync(new GetTimelineRequest { Limit = 10 }, deadline: Deadline);
        Assert.Equal(["", "t-5", "t-4", "t-3", "t-2", "t-1"], all.Entries.Select(e => e.Kind == RequestKind.Task ? "" : e.RequestId));
        Assert.Equal(["kimchi", "wok", "kimchi", "ginger", "gingerbase", "kimchi"], all.Entries.Select(e => e.App));
        Assert.Equal(all.Entries.Select(e => e.Time.ToDateTime()).OrderByDescending(t => t), all.Entries.Select(e => e.Time.ToDateTime()));

        await RpcAssert.InvalidArgumentAsync("limit", () => kit.Reader.GetTimelineAsync(new GetTimelineRequest { Limit = -1 }, deadline: Deadline).ResponseAsync);
    }

    private static Task<RecordRequestResponse> RecordAtAsync(TaskLogTestKit kit, string requestId, DateTime time, string app, string clientIp, string code, params (string Key, string Value)[] parameters)
    {
        var request = new RecordRequestRequest
        {
            RequestId = requestId, Time = Timestamp.FromDateTime(time), Kind = RequestKind.Post, Status = 200, App = app, User = "admin",
            ClientIp = clientIp, MessageCode = code,
        };
        foreach (var (key, value) in parameters)
        {
            request.MessageParams[key] = value;
        }

        return kit.Agent.RecordRequestAsync(request, deadline: Deadline).ResponseAsync;
    }

    [Fact]
    public async Task RecordRequest_BadInput_IsInvalidArgumentNamingTheField()
    {
        await using var kit = await StartAsync();
        var valid = new RecordRequestRequest { RequestId = "r", Kind = RequestKind.Get, Status = 200, App = "kimchi", MessageCode = "KCHVM0002L" };

        await RpcAssert.InvalidArgumentAsync("request_id", () => kit.Agent.RecordRequestAsync(Change(valid, r => r.RequestId = ""), deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("message_code", () => kit.Agent.RecordRequestAsync(Change(valid, r => r.MessageCode = "NOPE0001L"), deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("detail_code", () => kit.Agent.RecordRequestAsync(Change(valid, r => r.DetailCode = "NOPE0001E"), deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("kind", () => kit.Agent.RecordRequestAsync(Change(valid, r => r.Kind = RequestKind.Unspecified), deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("kind", () => kit.Agent.RecordRequestAsync(Change(valid, r => r.Kind = (RequestKind)42), deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("status", () => kit.Agent.RecordRequestAsync(Change(valid, r => r.Status = 0), deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("client_ip", () => kit.Agent.RecordRequestAsync(Change(valid, r => r.ClientIp = "not-an-ip"), deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("time_zone", () => kit.Agent.RecordRequestAsync(Change(valid, r => r.TimeZone = "Mars/Olympus"), deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("app", () => kit.Agent.RecordRequestAsync(Change(valid, r => r.App = ""), deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("page_size", () => kit.Reader.ListRequestsAsync(new ListRequestsRequest { PageSize = -1 }, deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("filter.outcome", () => kit.Reader.ListRequestsAsync(new ListRequestsRequest { Filter = new RequestFilter { Outcome = (RequestOutcome)9 } }, deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("page_token", () => kit.Reader.ListRequestsAsync(new ListRequestsRequest { PageToken = "garbage" }, deadline: Deadline).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => kit.Reader.RecordRequestAsync(valid, deadline: Deadline).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => kit.Reader.ListRequestsAsync(new ListRequestsRequest { Filter = new RequestFilter { DuringTaskId = 999 } }, deadline: Deadline).ResponseAsync);
    }

    private static RecordRequestRequest Change(RecordRequestRequest request, Action<RecordRequestRequest> change)
    {
        var copy = request.Clone();
        change(copy);
        return copy;
    }
}
