using System.Text;
using EventLog.V1;
using Google.Protobuf;

namespace EventLog.Viewer.Tests;

/// <summary>Every tab of the viewer in Chromium against the real server, with data seeded over gRPC.</summary>
public sealed class ViewerTests(ViewerServer server, Browser browser) : IClassFixture<ViewerServer>, IClassFixture<Browser>
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Messages_tab_shows_the_seeded_rows_new_ones_live_and_deletes_for_members()
    {
        var messages = new MessagesService.MessagesServiceClient(server.Channel(TestTokens.AgentA));
        var volume = Guid.NewGuid().ToString();
        await messages.CreateMessageAsync(new CreateMessageRequest
        {
            RequestId = "req-viewer-seed", ActionCode = "001", DetailCode = "003", Level = MessageLevel.Error,
            ResourceType = "volume", ResourceUuid = volume, Host = "node-7",
        });

        await SignInAsync(TestTokens.MemberA, "messages");
        await browser.WaitForTextAsync("#messages-table tbody tr", "req-viewer-seed");
        var row = await browser.TextAsync("#messages-table tbody tr:has-text('req-viewer-seed')");
        Assert.Contains("node-7", row, StringComparison.Ordinal);
        Assert.Contains(volume, row, StringComparison.Ordinal);
        Assert.Contains("Error", row, StringComparison.Ordinal);
        Assert.Contains(TestTokens.ProjectA, row, StringComparison.Ordinal);
        await browser.WaitForTextAsync("h2 .live", "live");

        // Created over gRPC while the page is open: it appears without a reload.
        await messages.CreateMessageAsync(new CreateMessageRequest
        {
            RequestId = "req-viewer-live", ActionCode = "001", DetailCode = "001", Level = MessageLevel.Warning, ResourceType = "volume",
        });
        await browser.WaitForTextAsync("#messages-table tbody tr", "req-viewer-live", Live);
        await browser.ScreenshotAsync("messages");

        // Filters are the server's: a request id shows only its messages.
        await browser.FillAsync("input[name=request_id]", "req-viewer-seed");
        await browser.ClickAsync("form.filters button[type=submit]");
        await WaitUntilAsync(async () => await browser.CountAsync("#messages-table tbody tr") == 1);

        await browser.EvaluateAsync("window.confirm = () => true");
        await browser.ClickAsync("#messages-table tbody tr:has-text('req-viewer-seed') button.danger");
        await browser.WaitForTextAsync("#messages-table", "No messages match.");
        var list = await messages.ListMessagesAsync(new ListMessagesRequest { RequestId = "req-viewer-seed" });
        Assert.Empty(list.Messages);
        Assert.Empty(await browser.PageErrorsAsync());
    }

    [Fact]
    public async Task A_reader_sees_the_rows_but_no_buttons_that_would_fail()
    {
        var messages = new MessagesService.MessagesServiceClient(server.Channel(TestTokens.AgentA));
        await messages.CreateMessageAsync(new CreateMessageRequest { RequestId = "req-viewer-reader", ActionCode = "001", DetailCode = "001", Level = MessageLevel.Info });
        var agent = await SeedGuestLogAsync("reader line\n");

        await SignInAsync(TestTokens.ReaderA, "messages");
        await browser.WaitForTextAsync("#messages-table tbody tr", "req-viewer-reader");
        Assert.Equal(0, await browser.CountAsync("#messages-table button"));

        await ShowInstanceAsync(agent);
        Assert.Equal(0, await browser.CountAsync("#logs-table button:has-text('Publish'), #logs-table button.danger"));
        Assert.True(await browser.CountAsync("#logs-table button:has-text('Tail')") > 0);
    }

    [Fact]
    public async Task A_bad_token_is_shown_as_an_error_in_words()
    {
        await browser.OpenAsync();
        await browser.GotoAsync(server.ViewerUrl);
        await browser.FillAsync("#token", "not-a-token");
        await browser.ClickAsync("#token-form button[type=submit]");
        await browser.WaitForTextAsync(".notice.error", "token was not accepted");
        Assert.Equal(0, await browser.CountAsync("#view table"));
        await browser.ScreenshotAsync("bad-token");
    }

    [Fact]
    public async Task An_admin_picks_another_project()
    {
        var messages = new MessagesService.MessagesServiceClient(server.Channel(TestTokens.AgentB));
        await messages.CreateMessageAsync(new CreateMessageRequest { RequestId = "req-viewer-project-b", ActionCode = "001", DetailCode = "001", Level = MessageLevel.Error });

        await SignInAsync(TestTokens.Admin, "messages");
        await browser.FillAsync("#project", TestTokens.ProjectB);
        await browser.ClickAsync("#project-form button[type=submit]");
        await browser.WaitForTextAsync("#messages-table tbody tr", "req-viewer-project-b");
        Assert.Contains(TestTokens.ProjectB, await browser.TextAsync("section h2"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_tab_shows_the_request_log_follows_a_task_log_and_the_timeline()
    {
        var tasklog = new TaskLogService.TaskLogServiceClient(server.Channel(TestTokens.AgentA));
        var requestId = "req-viewer-" + Guid.NewGuid().ToString("N")[..8];
        var recordRequest = new RecordRequestRequest
        {
            RequestId = requestId, Kind = RequestKind.Post, Status = 202, App = "kimchi", User = "alice", ClientIp = "10.0.0.9",
            MessageCode = "KCHVM0003L",
        };
        recordRequest.MessageParams["name"] = "vm-viewer";
        await tasklog.RecordRequestAsync(recordRequest);
        var task = (await tasklog.StartTaskAsync(new StartTaskRequest { App = "kimchi", TargetUri = "/vms/vm-viewer/clone", SpawningRequestId = requestId })).Task;
        await AppendAsync(tasklog, task.Id, "cloning disk 1 of 2");

        await SignInAsync(TestTokens.MemberA, "requests");
        await browser.WaitForTextAsync("#requests-table tbody tr", requestId);
        // The request itself; the task's own entry (kind Task) carries the same request id.
        var row = await browser.TextAsync($"#requests-table tbody tr:has-text('{requestId}'):has-text('Post')");
        Assert.Contains("alice", row, StringComparison.Ordinal);
        Assert.Contains("Start to clone vm 'vm-viewer'", row, StringComparison.Ordinal);
        Assert.Contains("Pending", row, StringComparison.Ordinal);

        await browser.ClickAsync($"#requests-table tbody tr:has-text('{requestId}'):has-text('Post') button");
        await browser.WaitForTextAsync("#task-log", "cloning disk 1 of 2");
        await AppendAsync(tasklog, task.Id, "cloning disk 2 of 2");
        await browser.WaitForTextAsync("#task-log", "cloning disk 2 of 2", Live);
        Assert.Equal(1, await browser.CountAsync("#task button.danger:has-text('Cancel')"));
        await browser.WaitForTextAsync("#timeline tbody tr", requestId);
        await browser.ScreenshotAsync("requests");

        await tasklog.CompleteTaskAsync(new CompleteTaskRequest { TaskId = task.Id });
        await browser.WaitForTextAsync("#task", "Succeeded", Live);
        await browser.WaitForTextAsync("#task .live", "ended");
    }

    [Fact]
    public async Task Provisioning_tab_shows_the_steps_and_changes_made_over_grpc_within_two_seconds()
    {
        var provisioning = new ProvisioningService.ProvisioningServiceClient(server.Channel(TestTokens.AgentA));
        var cluster = "cluster-" + Guid.NewGuid().ToString("N")[..8];
        var plan = new DeclarePlanRequest { ClusterId = cluster, RequestId = "req-" + cluster, StepType = StepType.Creating };
        plan.Steps.Add(new PlannedStep { Name = "Wait for instances to become active", Total = 3 });
        plan.Steps.Add(new PlannedStep { Name = "Configure cluster", Total = 1 });
        var steps = (await provisioning.DeclarePlanAsync(plan)).Steps;
        // Two of three instances report: the step runs on (reaching its total would complete it).
        await provisioning.StartStepAsync(new StartStepRequest { StepId = steps[0].Id, Total = 3 });
        await RecordEventAsync(provisioning, cluster, steps[0].Id, new ProvisionEvent { InstanceId = "i-1", InstanceName = "worker-1", Successful = true, Info = "active" });
        await RecordEventAsync(provisioning, cluster, steps[0].Id, new ProvisionEvent { InstanceId = "i-2", InstanceName = "worker-2", Successful = true, Info = "active" });

        await SignInAsync(TestTokens.ReaderA, "provisioning");
        await browser.FillAsync("input[name=cluster]", cluster);
        await browser.ClickAsync("form.filters button[type=submit]");
        await browser.WaitForTextAsync("#progress tbody tr", "Wait for instances to become active");
        await browser.WaitForTextAsync("#progress tbody tr", "worker-2");
        var first = await browser.TextAsync("#progress tbody tr:has-text('Wait for instances')");
        Assert.Contains("2 / 3", first, StringComparison.Ordinal);
        Assert.Contains("Running", first, StringComparison.Ordinal);
        await browser.WaitForTextAsync("#progress h3 .live", "live");

        // Completed over gRPC while the page is open: shown without a reload.
        await provisioning.CompleteStepAsync(new CompleteStepRequest { StepId = steps[0].Id });
        await browser.WaitForTextAsync("#progress tbody tr:has-text('Wait for instances') .badge", "Succeeded", Live);

        // A failed event fails the next step; the page shows it and the event's error.
        await provisioning.StartStepAsync(new StartStepRequest { StepId = steps[1].Id, Total = 1 });
        await RecordEventAsync(provisioning, cluster, steps[1].Id, new ProvisionEvent { InstanceId = "i-1", InstanceName = "worker-1", Successful = false, Info = "no valid host", ErrorId = "err-42" });
        await browser.WaitForTextAsync("#progress tbody tr:has-text('Configure cluster') .badge", "Failed", Live);
        await browser.WaitForTextAsync("#progress tbody tr", "err-42", Live);
        await browser.ScreenshotAsync("provisioning");
        Assert.Empty(await browser.PageErrorsAsync());
    }

    [Fact]
    public async Task Guest_logs_tab_lists_the_logs_follows_a_tail_downloads_and_says_when_no_agent_is_connected()
    {
        var agent = await SeedGuestLogAsync("first line\nsecond line\n");

        await SignInAsync(TestTokens.MemberA, "logs");
        await ShowInstanceAsync(agent);
        var row = await browser.TextAsync("#logs-table tbody tr:has-text('guest')");
        Assert.Contains("Sys", row, StringComparison.Ordinal);

        await browser.ClickAsync("#logs-table tbody tr:has-text('guest') button:has-text('Tail')");
        await browser.WaitForTextAsync("#tail-log", "second line");
        await agent.UploadAsync("guest", "first line\nsecond line\nthird line, published while the tail follows\n");
        await browser.WaitForTextAsync("#tail-log", "third line", Live);
        await browser.ScreenshotAsync("logs");
        var saved = await browser.DownloadAsync("#logs-table tbody tr:has-text('guest') button:has-text('Download')");
        Assert.Equal("first line\nsecond line\nthird line, published while the tail follows\n", saved);

        // No agent holds the command channel of this instance: publishing cannot be carried out.
        await browser.ClickAsync("#logs-table tbody tr:has-text('general') button:has-text('Publish')");
        await browser.WaitForTextAsync(".notice.error", "No guest agent");
    }

    private async Task SignInAsync(string token, string tab)
    {
        await browser.OpenAsync();
        await browser.GotoAsync(new Uri(server.ViewerUrl, "#" + tab));
        await browser.FillAsync("#token", token);
        await browser.ClickAsync("#token-form button[type=submit]");
        await browser.WaitForTextAsync("#caller", "Signed in as");
    }

    private async Task ShowInstanceAsync(TestAgent agent)
    {
        await browser.ClickAsync("a[data-tab=logs]");
        await browser.FillAsync("input[name=instance]", agent.InstanceId);
        await browser.ClickAsync("form.filters button[type=submit]");
        await browser.WaitForTextAsync("#logs-table tbody tr", "guest");
    }

    private async Task<TestAgent> SeedGuestLogAsync(string content)
    {
        var agent = new TestAgent(new GuestLogsService.GuestLogsServiceClient(server.Channel(TestTokens.AgentA)), "instance-" + Guid.NewGuid().ToString("N")[..10]);
        var register = new RegisterLogsRequest { InstanceId = agent.InstanceId, Datastore = "mysql" };
        register.Logs.Add(new GuestLogDefinition { Name = "guest", Type = GuestLogType.Sys, File = "/var/log/trove/guest.log", Exposed = true, Enabled = true, FileExists = true });
        register.Logs.Add(new GuestLogDefinition { Name = "general", Type = GuestLogType.User, File = "/var/log/mysql/general.log", Exposed = true, FileExists = true });
        await agent.Client.RegisterLogsAsync(register);
        await agent.UploadAsync("guest", content);
        return agent;
    }

    private static async Task RecordEventAsync(ProvisioningService.ProvisioningServiceClient provisioning, string cluster, string stepId, ProvisionEvent e)
    {
        // A request id per call: RecordEvents answers a repeated one with the first call's result.
        var request = new RecordEventsRequest { StepId = stepId, RequestId = $"req-{cluster}-{Guid.NewGuid():N}" };
        request.Events.Add(e);
        await provisioning.RecordEventsAsync(request);
    }

    private static async Task AppendAsync(TaskLogService.TaskLogServiceClient tasklog, long taskId, string line)
    {
        using var call = tasklog.AppendTaskLog();
        await call.RequestStream.WriteAsync(new AppendTaskLogRequest { TaskId = taskId, Lines = { line } });
        await call.RequestStream.CompleteAsync();
        await call.ResponseAsync;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The page did not reach the expected state in 10 s.");
            await Task.Delay(50);
        }
    }

    /// <summary>A guest agent that uploads the new end of a growing log file, as the real agent does.</summary>
    private sealed class TestAgent(GuestLogsService.GuestLogsServiceClient client, string instanceId)
    {
        private readonly Dictionary<string, int> _uploaded = [];

        public GuestLogsService.GuestLogsServiceClient Client { get; } = client;

        public string InstanceId { get; } = instanceId;

        /// <summary>Uploads what <paramref name="content"/>, the whole file, holds beyond the bytes already uploaded.</summary>
        public async Task UploadAsync(string logName, string content)
        {
            var file = Encoding.UTF8.GetBytes(content);
            var offset = _uploaded.GetValueOrDefault(logName);
            var firstLine = file.AsSpan(0, Array.IndexOf(file, (byte)'\n'));
            using var call = Client.UploadLog();
            await call.RequestStream.WriteAsync(new UploadLogRequest
            {
                Header = new UploadLogHeader
                {
                    InstanceId = InstanceId, LogName = logName, FileSize = file.Length, Offset = offset,
                    FirstLineHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(firstLine)),
                },
            });
            await call.RequestStream.WriteAsync(new UploadLogRequest { Data = ByteString.CopyFrom(file, offset, file.Length - offset) });
            await call.RequestStream.CompleteAsync();
            await call.ResponseAsync;
            _uploaded[logName] = file.Length;
        }
    }
}
