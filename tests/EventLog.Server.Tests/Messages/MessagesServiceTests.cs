using EventLog.V1;
using static EventLog.Server.Tests.Messages.MessagesTestKit;

namespace EventLog.Server.Tests.Messages;

public sealed class MessagesServiceTests
{
    [Fact]
    public async Task CreateAndGet_RendersUserMessageFromActionAndDetail()
    {
        await using var kit = await StartAsync();
        var created = await kit.CreateAsync("req-1");

        Assert.Equal("schedule allocate volume: Could not find any available weighted backend.", created.UserMessage);
        Assert.Equal(TestTokens.ProjectA, created.Project);
        Assert.Equal(MessageLevel.Error, created.Level);
        Assert.Equal(TimeSpan.FromDays(30), created.ExpiresAt.ToDateTime() - created.CreatedAt.ToDateTime());
        Assert.Equal(1, created.Sequence);

        var read = await kit.Reader.GetMessageAsync(new GetMessageRequest { Id = created.Id, Locale = "zh-CN" }, deadline: Deadline);
        Assert.Equal("调度分配卷: 找不到任何可用的加权后端。", read.Message.UserMessage);
        Assert.Equal(created.ResourceUuid, read.Message.ResourceUuid);
    }

    [Fact]
    public async Task Create_IsIdempotentOnRequestActionDetailAndResource()
    {
        await using var kit = await StartAsync();
        var uuid = Guid.NewGuid().ToString();
        var first = await kit.CreateAsync("req-1", resourceUuid: uuid);
        var retry = await kit.CreateAsync("req-1", resourceUuid: uuid);
        var other = await kit.CreateAsync("req-1", detail: "006", resourceUuid: uuid);

        Assert.Equal(first.Id, retry.Id);
        Assert.NotEqual(first.Id, other.Id);
    }

    [Fact]
    public async Task Create_BadInput_IsInvalidArgumentNamingTheField()
    {
        await using var kit = await StartAsync();
        var valid = new CreateMessageRequest { RequestId = "r", ActionCode = "001", DetailCode = "001", Level = MessageLevel.Error };

        await RpcAssert.InvalidArgumentAsync("action_code", () => kit.Agent.CreateMessageAsync(With(valid, r => r.ActionCode = "999"), deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("detail_code", () => kit.Agent.CreateMessageAsync(With(valid, r => r.DetailCode = "Traceback: KeyError 'x'"), deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("request_id", () => kit.Agent.CreateMessageAsync(With(valid, r => r.RequestId = ""), deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("level", () => kit.Agent.CreateMessageAsync(With(valid, r => r.Level = MessageLevel.Unspecified), deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("resource_uuid", () => kit.Agent.CreateMessageAsync(With(valid, r => r.ResourceUuid = "not-a-uuid"), deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("id", () => kit.Reader.GetMessageAsync(new GetMessageRequest { Id = "123" }, deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("level", () => kit.Reader.ListMessagesAsync(new ListMessagesRequest { Level = (MessageLevel)8 }, deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("page_size", () => kit.Reader.ListMessagesAsync(new ListMessagesRequest { PageSize = 1001 }, deadline: Deadline).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => kit.Reader.CreateMessageAsync(valid, deadline: Deadline).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => kit.Reader.GetMessageAsync(new GetMessageRequest { Id = Guid.NewGuid().ToString() }, deadline: Deadline).ResponseAsync);
    }

    [Fact]
    public async Task List_AcrossThreePagesWithFilters_ReturnsTheRightSetOnce()
    {
        await using var kit = await StartAsync();
        var expected = new HashSet<string>();
        for (var i = 0; i < 24; i++)
        {
            var type = i % 3 == 0 ? "snapshot" : "volume";
            var level = i % 4 == 0 ? MessageLevel.Warning : MessageLevel.Error;
            var message = await kit.CreateAsync("req-" + i, detail: i % 2 == 0 ? "003" : "006", level: level, resourceType: type);
            if (type == "volume" && level == MessageLevel.Error)
            {
                expected.Add(message.Id);
            }
        }

        await kit.CreateAsync("req-b", client: kit.AgentB);
        Assert.Equal(12, expected.Count);

        var seen = new List<Message>();
        var token = "";
        var pages = 0;
        do
        {
            var page = await kit.Reader.ListMessagesAsync(new ListMessagesRequest { PageSize = 5, PageToken = token, ResourceType = "volume", Level = MessageLevel.Error }, deadline: Deadline);
            seen.AddRange(page.Messages);
            token = page.NextPageToken;
            pages++;
            if (pages == 1)
            {
                await RpcAssert.InvalidArgumentAsync("page_token", () => kit.Reader.ListMessagesAsync(new ListMessagesRequest { PageSize = 5, PageToken = token, ResourceType = "snapshot" }, deadline: Deadline).ResponseAsync);
            }
        }
        while (token.Length > 0);

        Assert.Equal(3, pages);
        Assert.Equal(expected.Count, seen.Count);
        Assert.Equal(expected, seen.Select(m => m.Id).ToHashSet());
        Assert.Equal(seen.OrderByDescending(m => m.Sequence).Select(m => m.Id), seen.Select(m => m.Id));

        var byDetail = await kit.Reader.ListMessagesAsync(new ListMessagesRequest { DetailCode = "006", ActionCode = "001", RequestId = "req-1" }, deadline: Deadline);
        Assert.Equal("req-1", Assert.Single(byDetail.Messages).RequestId);
        var projectB = await kit.ReaderB.ListMessagesAsync(new ListMessagesRequest(), deadline: Deadline);
        Assert.Equal("req-b", Assert.Single(projectB.Messages).RequestId);
    }

    [Fact]
    public async Task Delete_NeedsMember_AndForeignMessagesAreNotFound()
    {
        await using var kit = await StartAsync();
        var message = await kit.CreateAsync("req-del");

        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => kit.ReaderB.GetMessageAsync(new GetMessageRequest { Id = message.Id }, deadline: Deadline).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => kit.Reader.DeleteMessageAsync(new DeleteMessageRequest { Id = message.Id }, deadline: Deadline).ResponseAsync);
        await kit.Member.DeleteMessageAsync(new DeleteMessageRequest { Id = message.Id }, deadline: Deadline);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => kit.Reader.GetMessageAsync(new GetMessageRequest { Id = message.Id }, deadline: Deadline).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => kit.Member.DeleteMessageAsync(new DeleteMessageRequest { Id = message.Id }, deadline: Deadline).ResponseAsync);
    }

    [Fact]
    public async Task Purge_AdminsOnly_NeedsACondition_AndCountsWhatItDeleted()
    {
        await using var kit = await StartAsync();
        await kit.CreateAsync("req-p1");
        await kit.CreateAsync("req-p2");
        var admin = new MessagesService.MessagesServiceClient(kit.Server.CreateChannel(TestTokens.Admin));
        var before = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow.AddMinutes(1));

        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => kit.Member.PurgeMessagesAsync(new PurgeMessagesRequest { Before = before }, deadline: Deadline).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => kit.Reader.ListMessagesAsync(new ListMessagesRequest { AllProjects = true }, deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("before", () => admin.PurgeMessagesAsync(new PurgeMessagesRequest { Project = TestTokens.ProjectA }, deadline: Deadline).ResponseAsync);
        var invalid = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = 1, Nanos = -5 };
        await RpcAssert.InvalidArgumentAsync("before", () => admin.PurgeMessagesAsync(new PurgeMessagesRequest { Project = TestTokens.ProjectA, Before = invalid }, deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("user", () => kit.Reader.ListMessagesAsync(new ListMessagesRequest { User = new string('u', 129) }, deadline: Deadline).ResponseAsync);
        Assert.Equal(0, (await admin.PurgeMessagesAsync(new PurgeMessagesRequest { Project = TestTokens.ProjectA, Expired = true }, deadline: Deadline)).DeletedCount);
        Assert.Equal(2, (await admin.PurgeMessagesAsync(new PurgeMessagesRequest { Project = TestTokens.ProjectA, Before = before }, deadline: Deadline)).DeletedCount);
        Assert.Empty((await kit.Reader.ListMessagesAsync(new ListMessagesRequest(), deadline: Deadline)).Messages);
    }

    [Fact]
    public async Task MessagePastItsTtl_DisappearsAfterAReaperRound()
    {
        await using var kit = await StartAsync(("Storage:Retention:MessageTtl", "00:00:01"), ("Storage:Retention:ReapInterval", "00:00:00.200"));
        var message = await kit.CreateAsync("req-ttl");
        Assert.Equal(TimeSpan.FromSeconds(1), message.ExpiresAt.ToDateTime() - message.CreatedAt.ToDateTime());
        Assert.NotNull((await kit.Reader.GetMessageAsync(new GetMessageRequest { Id = message.Id }, deadline: Deadline)).Message);

        var gone = false;
        var until = DateTime.UtcNow + CallTimeout;
        while (!gone && DateTime.UtcNow < until)
        {
            await Task.Delay(200);
            var list = await kit.Reader.ListMessagesAsync(new ListMessagesRequest(), deadline: Deadline);
            gone = list.Messages.Count == 0;
        }

        Assert.True(gone, "The reaper should have removed the expired message.");
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => kit.Reader.GetMessageAsync(new GetMessageRequest { Id = message.Id }, deadline: Deadline).ResponseAsync);
    }

    private static CreateMessageRequest With(CreateMessageRequest request, Action<CreateMessageRequest> change)
    {
        var copy = request.Clone();
        change(copy);
        return copy;
    }
}
