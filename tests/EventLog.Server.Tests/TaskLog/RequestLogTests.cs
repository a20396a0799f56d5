using EventLog.Server.Tests.Infrastructure;
using EventLog.V1;
using Grpc.Core;
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
            ("username", "root"), ("password", "hunter2"), ("api_token", "abc"), ("SecretKey", "xyz"))).Entry;

        Assert.Equal("***", entry.MessageParams["password"]);
        Assert.Equal("***", entry.MessageParams["api_token"]);
        Assert.Equal("***", entry.MessageParams["SecretKey"]);
        Assert.Equal("User 'root' login", entry.Message);
        var stored = await kit.Server.Services.GetRequiredService<EventLog.Storage.ITaskLogRepository>().GetRequestAsync(entry.Sequence).WaitAsync(CallTimeout);
        Assert.NotNull(stored);
        Assert.DoesNotContain("hunter2", stored.MessageParams, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", stored.MessageParams, StringComparison.Ordinal);
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
    public async Task Timeline_ReturnsLastEntriesNewestFirst_InTheReadersLocale()
    {
        await using var kit = await StartAsync();
        await kit.RecordAsync("r1");
        var task = await kit.StartTaskAsync(target: "/plugins/kimchi/vms/vm9/clone");
        var timeline = await kit.Reader.GetTimelineAsync(new GetTimelineRequest { Limit = 1, Locale = "pt-BR" }, deadline: Deadline);

        var entry = Assert.Single(timeline.Entries);
        Assert.Equal($"Iniciada a tarefa Kimchi de ID {task.Id}: /plugins/kimchi/vms/vm9/clone", entry.Message);
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
