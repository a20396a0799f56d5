using EventLog.V1;
using static EventLog.Server.Tests.GuestLogs.GuestLogTestAgent;

namespace EventLog.Server.Tests.GuestLogs;

public sealed class GuestLogCatalogTests
{
    [Fact]
    public async Task Register_ListAndShow_StatusFollowsTrove_HiddenLogsOnlyForAdmins()
    {
        await using var server = await EventLogHost.StartAsync();
        var agent = new GuestLogTestAgent(new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.AgentA)), NewInstanceId());
        var reader = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.ReaderA));
        var admin = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.Admin));
        var registered = await agent.RegisterMySqlAsync(guestSize: 4234);
        Assert.Equal(4, registered.Logs.Count);

        var list = await reader.ListLogsAsync(new ListLogsRequest { InstanceId = agent.InstanceId }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal(["general", "guest", "slow_query"], list.Logs.Select(l => l.Name));
        var status = list.Logs.ToDictionary(l => l.Name, l => l.Status);
        Assert.Equal(GuestLogStatus.Ready, status["guest"]);
        Assert.Equal(GuestLogStatus.Disabled, status["general"]);
        Assert.Equal(GuestLogStatus.Disabled, status["slow_query"]);
        var guest = list.Logs.Single(l => l.Name == "guest");
        Assert.Equal((GuestLogType.Sys, 0L, 4234L, "mysql", TestTokens.ProjectA), (guest.Type, guest.PublishedBytes, guest.PendingBytes, guest.Datastore, guest.Project));

        var all = await admin.ListLogsAsync(new ListLogsRequest { InstanceId = agent.InstanceId }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal(["audit", "general", "guest", "slow_query"], all.Logs.Select(l => l.Name));
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => reader.GetLogAsync(new GetLogRequest { InstanceId = agent.InstanceId, LogName = "audit" }).ResponseAsync);
        var audit = await admin.GetLogAsync(new GetLogRequest { InstanceId = agent.InstanceId, LogName = "audit" }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.False(audit.Log.Exposed);

        // Every read or action on the non-exposed log is NOT_FOUND for non-admins, as if it did not exist.
        var member = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.MemberA));
        using (var hiddenTail = reader.TailLog(new TailLogRequest { InstanceId = agent.InstanceId, LogName = "audit", Lines = 0 }))
        {
            await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => hiddenTail.ResponseStream.MoveNext(CancellationToken.None));
        }

        using (var hiddenSave = reader.SaveLog(new SaveLogRequest { InstanceId = agent.InstanceId, LogName = "audit" }))
        {
            await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => hiddenSave.ResponseStream.MoveNext(CancellationToken.None));
        }

        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => member.PublishLogAsync(new PublishLogRequest { InstanceId = agent.InstanceId, LogName = "audit" }).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => member.DiscardLogAsync(new DiscardLogRequest { InstanceId = agent.InstanceId, LogName = "audit" }).ResponseAsync);
        using (var adminSave = admin.SaveLog(new SaveLogRequest { InstanceId = agent.InstanceId, LogName = "audit" }))
        {
            Assert.True(await adminSave.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeout));
            Assert.Equal("audit", adminSave.ResponseStream.Current.Log.Name);
        }

        var page = await reader.ListLogsAsync(new ListLogsRequest { InstanceId = agent.InstanceId, PageSize = 2 }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal(["general", "guest"], page.Logs.Select(l => l.Name));
        var next = await reader.ListLogsAsync(new ListLogsRequest { InstanceId = agent.InstanceId, PageSize = 2, PageToken = page.NextPageToken }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal(["slow_query"], next.Logs.Select(l => l.Name));
        Assert.Equal("", next.NextPageToken);
    }

    [Fact]
    public async Task ExposureAllowList_OverridesTheAgent()
    {
        await using var server = await EventLogHost.StartAsync([new("GuestLogs:ExposedLogs:mysql:0", "guest"), new("GuestLogs:ExposedLogs:mysql:1", "audit")]);
        var agent = new GuestLogTestAgent(new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.AgentA)), NewInstanceId());
        var reader = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.ReaderA));
        await agent.RegisterMySqlAsync();
        var list = await reader.ListLogsAsync(new ListLogsRequest { InstanceId = agent.InstanceId }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal(["audit", "guest"], list.Logs.Select(l => l.Name));
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => reader.GetLogAsync(new GetLogRequest { InstanceId = agent.InstanceId, LogName = "general" }).ResponseAsync);
    }

    [Fact]
    public async Task EnableDisable_UserLogsOnly_RestartRequiredUntilReportRestart()
    {
        await using var server = await EventLogHost.StartAsync();
        var agent = new GuestLogTestAgent(new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.AgentA)), NewInstanceId());
        var member = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.MemberA));
        var reader = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.ReaderA));
        await agent.RegisterMySqlAsync();

        var general = await member.EnableLogAsync(new EnableLogRequest { InstanceId = agent.InstanceId, LogName = "general" }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal(GuestLogStatus.Enabled, general.Log.Status);
        var slow = await member.EnableLogAsync(new EnableLogRequest { InstanceId = agent.InstanceId, LogName = "slow_query" }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal(GuestLogStatus.RestartRequired, slow.Log.Status);

        // The agent re-registering before the restart does not clear it.
        await agent.RegisterMySqlAsync();
        Assert.Equal(GuestLogStatus.RestartRequired, (await reader.GetLogAsync(new GetLogRequest { InstanceId = agent.InstanceId, LogName = "slow_query" }).ResponseAsync.WaitAsync(TestTimeout)).Log.Status);
        var restarted = await agent.Client.ReportRestartAsync(new ReportRestartRequest { InstanceId = agent.InstanceId }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal(GuestLogStatus.RestartCompleted, restarted.Logs.Single(l => l.Name == "slow_query").Status);

        var disabled = await member.DisableLogAsync(new DisableLogRequest { InstanceId = agent.InstanceId, LogName = "general" }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal(GuestLogStatus.Disabled, disabled.Log.Status);

        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => member.EnableLogAsync(new EnableLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => member.DisableLogAsync(new DisableLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => reader.EnableLogAsync(new EnableLogRequest { InstanceId = agent.InstanceId, LogName = "general" }).ResponseAsync);
    }

    [Fact]
    public async Task BadInput_NotFoundAndInvalidArgument()
    {
        await using var server = await EventLogHost.StartAsync();
        var agent = new GuestLogTestAgent(new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.AgentA)), NewInstanceId());
        var member = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.MemberA));
        var readerB = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.ReaderB));
        var agentB = new GuestLogTestAgent(new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.AgentB)), agent.InstanceId);
        await agent.RegisterMySqlAsync();

        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => member.ListLogsAsync(new ListLogsRequest { InstanceId = "no-such-instance" }).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => member.GetLogAsync(new GetLogRequest { InstanceId = agent.InstanceId, LogName = "nope" }).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => member.PublishLogAsync(new PublishLogRequest { InstanceId = "no-such-instance", LogName = "guest" }).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => member.DiscardLogAsync(new DiscardLogRequest { InstanceId = agent.InstanceId, LogName = "nope" }).ResponseAsync);
        using (var tail = member.TailLog(new TailLogRequest { InstanceId = agent.InstanceId, LogName = "nope" }))
        {
            await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => tail.ResponseStream.MoveNext(CancellationToken.None));
        }

        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => readerB.ListLogsAsync(new ListLogsRequest { InstanceId = agent.InstanceId }).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => agentB.RegisterMySqlAsync());
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => agentB.UploadAsync("guest", MakeLog(100)));
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => agent.Client.ReportCommandResultAsync(new ReportCommandResultRequest { InstanceId = agent.InstanceId, CommandId = "nope", Succeeded = true }).ResponseAsync);

        await RpcAssert.InvalidArgumentAsync("instance_id", () => member.GetLogAsync(new GetLogRequest { LogName = "guest" }).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("log_name", () => member.GetLogAsync(new GetLogRequest { InstanceId = agent.InstanceId }).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("page_size", () => member.ListLogsAsync(new ListLogsRequest { InstanceId = agent.InstanceId, PageSize = -5 }).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("page_token", () => member.ListLogsAsync(new ListLogsRequest { InstanceId = agent.InstanceId, PageToken = "%%%" }).ResponseAsync);
        var bad = new RegisterLogsRequest { InstanceId = agent.InstanceId };
        bad.Logs.Add(new GuestLogDefinition { Name = "x", Type = GuestLogType.Unspecified });
        await RpcAssert.InvalidArgumentAsync("logs[0].type", () => agent.Client.RegisterLogsAsync(bad).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("logs", () => agent.Client.RegisterLogsAsync(new RegisterLogsRequest { InstanceId = agent.InstanceId }).ResponseAsync);

        // The server may end the call before the client has completed its side, so the writes are part of what fails.
        await RpcAssert.InvalidArgumentAsync("header", async () =>
        {
            using var upload = agent.Client.UploadLog();
            await upload.RequestStream.WriteAsync(new UploadLogRequest { Data = Google.Protobuf.ByteString.CopyFromUtf8("x\n") }).WaitAsync(TestTimeout);
            await upload.RequestStream.CompleteAsync().WaitAsync(TestTimeout);
            await upload.ResponseAsync.WaitAsync(TestTimeout);
        });
        await RpcAssert.InvalidArgumentAsync("header.offset", () => UploadHeaderOnlyAsync(agent, -1));
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => UploadHeaderOnlyAsync(agent, 10));
    }

    private static async Task UploadHeaderOnlyAsync(GuestLogTestAgent agent, long offset)
    {
        using var upload = agent.Client.UploadLog();
        await upload.RequestStream.WriteAsync(new UploadLogRequest { Header = new UploadLogHeader { InstanceId = agent.InstanceId, LogName = "guest", Offset = offset, FileSize = 100 } }).WaitAsync(TestTimeout);
        await upload.RequestStream.CompleteAsync().WaitAsync(TestTimeout);
        await upload.ResponseAsync.WaitAsync(TestTimeout);
    }
}
