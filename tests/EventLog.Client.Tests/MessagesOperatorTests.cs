using EventLog.V1;

namespace EventLog.Client.Tests;

/// <summary>The SDK's operator calls: purge of expired messages in batches, and every project's list for admins only.</summary>
public sealed class MessagesOperatorTests : IAsyncLifetime
{
    private EventLogHost _server = null!;

    public async Task InitializeAsync() =>
        // Batches of 2 make the purge of 5 take three rounds; the background reaper stays out of it.
        _server = await SdkHost.StartAsync(
        [
            new("Storage:Retention:Enabled", "false"),
            new("Storage:Retention:MessageTtl", "00:00:01"),
            new("Storage:Retention:ReapBatchSize", "2"),
        ]);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task PurgeExpired_DeletesInBatches_CountsThem_AndOnlyAdminsMayPurge()
    {
        var agent = _server.CreateClient(TestTokens.AgentA);
        var admin = _server.CreateClient(TestTokens.Admin);
        var member = _server.CreateClient(TestTokens.MemberA);
        var created = new List<Message>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await agent.Messages.CreateMessageAsync(new CreateMessageRequest
            {
                RequestId = $"req-expire-{i}", ActionCode = "001", DetailCode = "003", Level = MessageLevel.Error, Host = "node-1", User = "alice",
            }).WithTimeout());
        }
        Assert.All(created, m => Assert.Equal("alice", m.User));
        var expiry = created.Max(m => m.ExpiresAt.ToDateTime());
        var wait = expiry - DateTime.UtcNow + TimeSpan.FromMilliseconds(50);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var denied = await Assert.ThrowsAsync<EventLogException>(() => member.Messages.PurgeMessagesAsync(new PurgeMessagesRequest { Expired = true }).WithTimeout());
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        var empty = await Assert.ThrowsAsync<EventLogException>(() => admin.Messages.PurgeMessagesAsync(new PurgeMessagesRequest { AllProjects = true }).WithTimeout());
        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);
        Assert.Equal("before", Assert.Single(empty.FieldViolations).Field);

        Assert.Equal(5, await admin.Messages.PurgeMessagesAsync(new PurgeMessagesRequest { Project = TestTokens.ProjectA, Expired = true }).WithTimeout());
        Assert.Equal(0, await admin.Messages.PurgeMessagesAsync(new PurgeMessagesRequest { AllProjects = true, Expired = true }).WithTimeout());
        Assert.Empty(await admin.Messages.ListMessagesAsync(new ListMessagesRequest { AllProjects = true }).TakeAsync(10).WithTimeout());
    }

    [Fact]
    public async Task ListAllProjects_AdminSeesEveryProject_OthersAreDenied_FiltersApply()
    {
        var request = new CreateMessageRequest { ActionCode = "001", DetailCode = "003", Level = MessageLevel.Info, Host = "node-7", User = "bob" };
        var inA = await _server.CreateClient(TestTokens.AgentA).Messages.CreateMessageAsync(new CreateMessageRequest(request) { RequestId = "req-a" }).WithTimeout();
        var inB = await _server.CreateClient(TestTokens.AgentB).Messages.CreateMessageAsync(new CreateMessageRequest(request) { RequestId = "req-b" }).WithTimeout();
        await _server.CreateClient(TestTokens.AgentB).Messages.CreateMessageAsync(new CreateMessageRequest(request) { RequestId = "req-c", User = "carol" }).WithTimeout();

        var admin = _server.CreateClient(TestTokens.Admin);
        var all = await admin.Messages.ListMessagesAsync(new ListMessagesRequest { AllProjects = true, User = "bob", Host = "node-7" }).TakeAsync(10).WithTimeout();
        Assert.Equal([inB.Id, inA.Id], all.Select(m => m.Id));
        var own = await admin.Messages.ListMessagesAsync(new ListMessagesRequest { User = "bob" }).TakeAsync(10).WithTimeout();
        Assert.Empty(own);

        var reader = _server.CreateClient(TestTokens.ReaderA);
        var denied = await Assert.ThrowsAsync<EventLogException>(() => reader.Messages.ListMessagesAsync(new ListMessagesRequest { AllProjects = true }).TakeAsync(1).WithTimeout());
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal("PERMISSION_DENIED", denied.Reason);
    }
}
