using EventLog.Server.Tests.GuestLogs;
using EventLog.Server.Tests.Messages;
using EventLog.Server.Tests.TaskLog;
using EventLog.V1;
using static EventLog.Server.Tests.Provisioning.ProvisioningTestData;

namespace EventLog.Server.Tests.Rest;

/// <summary>
/// Each service over HTTP/1.1 and JSON on the real host: what an agent recorded over gRPC is read back through the
/// /v1/projects paths, and the user actions (delete, cancel, enable, disable) change what gRPC then reads.
/// </summary>
public sealed class RestServicesTests
{
    [Fact]
    public async Task Messages_ListFilterGet_ThenDeleteAsMember_IsGone()
    {
        await using var kit = await MessagesTestKit.StartAsync();
        var error = await kit.CreateAsync("req-rest-1", level: MessageLevel.Error);
        var warning = await kit.CreateAsync("req-rest-2", level: MessageLevel.Warning);
        var reader = kit.Server.CreateHttpClient(TestTokens.ReaderA);

        var all = await reader.GetAsync<ListMessagesResponse>($"{RestCalls.ProjectA}/messages");
        Assert.Equal([warning.Id, error.Id], all.Messages.Select(m => m.Id));
        var warnings = await reader.GetAsync<ListMessagesResponse>($"{RestCalls.ProjectA}/messages?level=MESSAGE_LEVEL_WARNING&page_size=5");
        Assert.Equal(warning.Id, Assert.Single(warnings.Messages).Id);
        var one = await reader.GetAsync<GetMessageResponse>($"{RestCalls.ProjectA}/messages/{error.Id}?locale=en");
        Assert.Equal(error, one.Message);

        var member = kit.Server.CreateHttpClient(TestTokens.MemberA);
        await member.CallAsync<DeleteMessageResponse>(HttpMethod.Delete, $"{RestCalls.ProjectA}/messages/{error.Id}");

        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => kit.Reader.GetMessageAsync(new GetMessageRequest { Id = error.Id }, deadline: MessagesTestKit.Deadline).ResponseAsync);
        await reader.FailsAsync(HttpMethod.Get, $"{RestCalls.ProjectA}/messages/{error.Id}", System.Net.HttpStatusCode.NotFound, StatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Messages_AllProjectsAndPurge_AsAdmin()
    {
        await using var kit = await MessagesTestKit.StartAsync();
        var inA = await kit.CreateAsync("req-rest-a");
        var inB = await kit.CreateAsync("req-rest-b", client: kit.AgentB);
        var admin = kit.Server.CreateHttpClient(TestTokens.Admin);

        var all = await admin.GetAsync<ListMessagesResponse>("/v1/projects/-/messages?all_projects=true&host=BS-cind1");
        Assert.Equal([inB.Id, inA.Id], all.Messages.Select(m => m.Id));
        await kit.Server.CreateHttpClient(TestTokens.ReaderA).FailsAsync(HttpMethod.Get, $"{RestCalls.ProjectA}/messages?all_projects=true", System.Net.HttpStatusCode.Forbidden, StatusCode.PermissionDenied, "PERMISSION_DENIED");

        using var purge = await admin.PostAsync($"{RestCalls.ProjectA}/messages:purge", new StringContent("{\"before\": \"2999-01-01T00:00:00Z\"}", System.Text.Encoding.UTF8, "application/json")).WithTimeout();
        var body = await purge.Content.ReadAsStringAsync().WithTimeout();
        Assert.True(purge.IsSuccessStatusCode, body);
        Assert.Equal(1, Google.Protobuf.JsonParser.Default.Parse<PurgeMessagesResponse>(body).DeletedCount);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => kit.Reader.GetMessageAsync(new GetMessageRequest { Id = inA.Id }, deadline: MessagesTestKit.Deadline).ResponseAsync);
    }

    [Fact]
    public async Task TaskLog_TaskRequestsTimelineAndLog_ThenCancelAsMember()
    {
        await using var kit = await TaskLogTestKit.StartAsync();
        await kit.RecordAsync("req-clone", parameters: ("name", "vm-rest"));
        var task = await kit.StartTaskAsync("/plugins/kimchi/vms/vm-rest/clone", spawningRequestId: "req-clone");
        await kit.AppendAsync(task.Id, 1, "copying disk 1", "copying disk 2");
        var reader = kit.Server.CreateHttpClient(TestTokens.ReaderA);

        var got = await reader.GetAsync<GetTaskResponse>($"{RestCalls.ProjectA}/tasks/{task.Id}");
        Assert.Equal((task.Id, TaskState.Running, 2L), (got.Task.Id, got.Task.State, got.Task.LineCount));
        var active = await reader.GetAsync<GetActiveTaskResponse>($"{RestCalls.ProjectA}/tasks:active?target_uri=/plugins/kimchi/vms/vm-rest/clone");
        Assert.Equal(task.Id, active.Task.Id);
        var listed = await reader.GetAsync<ListTasksResponse>($"{RestCalls.ProjectA}/tasks?state=TASK_STATE_RUNNING&app=kimchi");
        Assert.Equal(task.Id, Assert.Single(listed.Tasks).Id);
        var requests = await reader.GetAsync<ListRequestsResponse>($"{RestCalls.ProjectA}/requests?filter.task_id={task.Id}&oldest_first=true");
        Assert.Equal(("req-clone", "Start to clone vm 'vm-rest'"), (requests.Entries[0].RequestId, requests.Entries[0].Message));
        Assert.Contains(requests.Entries, e => e.Kind == RequestKind.Task && e.Status == 1000 && e.TaskId == task.Id);
        var timeline = await reader.GetAsync<GetTimelineResponse>($"{RestCalls.ProjectA}/timeline?limit=1");
        Assert.Single(timeline.Entries);
        var log = await reader.StreamAsync<TailTaskLogResponse>($"{RestCalls.ProjectA}/tasks/{task.Id}/log").ToListAsync().AsTask().WithTimeout();
        Assert.Equal(["copying disk 1", "copying disk 2"], log.SelectMany(r => r.Lines.Lines));

        var member = kit.Server.CreateHttpClient(TestTokens.MemberA);
        var cancelled = await member.CallAsync<CancelTaskResponse>(HttpMethod.Post, $"{RestCalls.ProjectA}/tasks/{task.Id}:cancel");
        Assert.True(cancelled.Task.CancelRequested);
        Assert.True((await kit.Reader.GetTaskAsync(new GetTaskRequest { TaskId = task.Id }, deadline: TaskLogTestKit.Deadline)).Task.CancelRequested);
        await reader.FailsAsync(HttpMethod.Post, $"{RestCalls.ProjectA}/tasks/{task.Id}:cancel", System.Net.HttpStatusCode.Forbidden, StatusCode.PermissionDenied, "PERMISSION_DENIED");
    }

    [Fact]
    public async Task Provisioning_ProgressAndEvents_WithQueryFilters()
    {
        await using var server = await EventLogHost.StartAsync();
        var agent = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.AgentA));
        var cluster = NewClusterId();
        var plan = await agent.DeclarePlanAsync(Plan(cluster, ("Launching instances", 3))).ResponseAsync.WaitAsync(TestTimeout);
        var step = plan.Steps[0].Id;
        await agent.StartStepAsync(new StartStepRequest { StepId = step }).ResponseAsync.WaitAsync(TestTimeout);
        await agent.RecordEventsAsync(Events(step, 1, 2)).ResponseAsync.WaitAsync(TestTimeout);
        await agent.RecordEventsAsync(Events(step, 3, 1, successful: false, info: "no ssh")).ResponseAsync.WaitAsync(TestTimeout);
        var reader = server.CreateHttpClient(TestTokens.ReaderA);

        var progress = await reader.GetAsync<GetProgressResponse>($"{RestCalls.ProjectA}/clusters/{cluster}/progress");
        Assert.Equal((cluster, step, false), (progress.ClusterId, progress.CurrentStepId, progress.Steps[0].Successful));
        Assert.Equal(3, progress.Events.Count);
        var page = await reader.GetAsync<ListEventsResponse>($"{RestCalls.ProjectA}/clusters/{cluster}/events?page_size=2");
        Assert.Equal(["instance-0001", "instance-0002"], page.Events.Select(e => e.InstanceId));
        var rest = await reader.GetAsync<ListEventsResponse>($"{RestCalls.ProjectA}/clusters/{cluster}/events?page_size=2&page_token={Uri.EscapeDataString(page.NextPageToken)}");
        Assert.Equal("instance-0003", Assert.Single(rest.Events).InstanceId);
        var failed = await reader.GetAsync<ListEventsResponse>($"{RestCalls.ProjectA}/clusters/{cluster}/events?successful=false");
        Assert.Equal("no ssh", Assert.Single(failed.Events).Info);
    }

    [Fact]
    public async Task GuestLogs_CatalogLogAndTail_EnableDisable_PublishWithoutAgentIsUnavailable()
    {
        await using var server = await EventLogHost.StartAsync();
        var agent = await PublishTailTests.RegisteredAgentAsync(server);
        await agent.UploadAsync("guest", "boot\nready\nserving\n"u8.ToArray());
        var reader = server.CreateHttpClient(TestTokens.ReaderA);
        var instance = $"{RestCalls.ProjectA}/instances/{agent.InstanceId}";

        var catalog = await reader.GetAsync<ListLogsResponse>($"{instance}/logs");
        Assert.Equal(["general", "guest", "slow_query"], catalog.Logs.Select(l => l.Name).Order(StringComparer.Ordinal));
        var guest = await reader.GetAsync<GetLogResponse>($"{instance}/logs/guest");
        Assert.Equal((GuestLogStatus.Published, 3L), (guest.Log.Status, guest.Log.LineCount));
        var tail = await reader.StreamAsync<TailLogResponse>($"{instance}/logs/guest:tail?lines=2").ToListAsync().AsTask().WithTimeout();
        Assert.Equal(["ready", "serving"], tail.SelectMany(r => r.Lines.Lines));

        var member = server.CreateHttpClient(TestTokens.MemberA);
        var enabled = await member.CallAsync<EnableLogResponse>(HttpMethod.Post, $"{instance}/logs/general:enable");
        Assert.Equal(GuestLogStatus.Enabled, enabled.Log.Status);
        var disabled = await member.CallAsync<DisableLogResponse>(HttpMethod.Post, $"{instance}/logs/general:disable");
        Assert.Equal(GuestLogStatus.Disabled, disabled.Log.Status);
        await member.FailsAsync(HttpMethod.Post, $"{instance}/logs/guest:publish", System.Net.HttpStatusCode.ServiceUnavailable, StatusCode.Unavailable, "UNAVAILABLE");
    }
}
