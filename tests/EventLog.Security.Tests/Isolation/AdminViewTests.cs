using EventLog.V1;

namespace EventLog.Security.Tests.Isolation;

/// <summary>Admin-only views: non-exposed guest logs and other projects' data.</summary>
public sealed class AdminViewTests(ProjectAFixture fixture) : IClassFixture<ProjectAFixture>
{
    [Theory]
    [InlineData(TestTokens.ReaderA)]
    [InlineData(TestTokens.MemberA)]
    public async Task HiddenLog_IsNotFoundForUsersOfItsOwnProject(string token)
    {
        var logs = new GuestLogsService.GuestLogsServiceClient(fixture.Server.CreateChannel(token));

        var list = await logs.ListLogsAsync(new ListLogsRequest { InstanceId = fixture.A.InstanceId }, deadline: TestTimeouts.Deadline());
        Assert.Contains(list.Logs, l => l.Name == fixture.A.LogName);
        Assert.DoesNotContain(list.Logs, l => l.Name == fixture.HiddenLogName);

        var hidden = new GetLogRequest { InstanceId = fixture.A.InstanceId, LogName = fixture.HiddenLogName };
        var get = await Assert.ThrowsAsync<RpcException>(() => logs.GetLogAsync(hidden, deadline: TestTimeouts.Deadline()).ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.NotFound, get.StatusCode);

        var tail = await DynamicCalls.InvokeAsync(
            fixture.Server.CreateChannel(token).CreateCallInvoker(),
            RpcCatalog.Methods["/eventlog.v1.GuestLogsService/TailLog"],
            [new TailLogRequest { InstanceId = fixture.A.InstanceId, LogName = fixture.HiddenLogName }],
            TimeSpan.FromSeconds(5));
        Assert.Equal(StatusCode.NotFound, tail.Code);
        var save = await DynamicCalls.InvokeAsync(
            fixture.Server.CreateChannel(token).CreateCallInvoker(),
            RpcCatalog.Methods["/eventlog.v1.GuestLogsService/SaveLog"],
            [new SaveLogRequest { InstanceId = fixture.A.InstanceId, LogName = fixture.HiddenLogName }],
            TimeSpan.FromSeconds(5));
        Assert.Equal(StatusCode.NotFound, save.Code);
    }

    [Fact]
    public async Task Admin_SeesHiddenLogsAndOtherProjects()
    {
        var admin = fixture.Server.CreateChannel(TestTokens.Admin);
        var logs = new GuestLogsService.GuestLogsServiceClient(admin);

        var list = await logs.ListLogsAsync(new ListLogsRequest { Project = TestTokens.ProjectA, InstanceId = fixture.A.InstanceId }, deadline: TestTimeouts.Deadline());
        Assert.Contains(list.Logs, l => l.Name == fixture.HiddenLogName);
        var hidden = await logs.GetLogAsync(new GetLogRequest { Project = TestTokens.ProjectA, InstanceId = fixture.A.InstanceId, LogName = fixture.HiddenLogName }, deadline: TestTimeouts.Deadline());
        Assert.False(hidden.Log.Exposed);

        var messages = await new MessagesService.MessagesServiceClient(admin).ListMessagesAsync(new ListMessagesRequest { Project = TestTokens.ProjectA }, deadline: TestTimeouts.Deadline());
        Assert.Contains(messages.Messages, m => m.Id == fixture.A.MessageId);
    }

    [Fact]
    public async Task ProjectReader_SeesItsOwnData()
    {
        // The positive control of the matrix: the same requests work for project A's own reader.
        var reader = fixture.Server.CreateChannel(TestTokens.ReaderA);
        var task = await new TaskLogService.TaskLogServiceClient(reader).GetTaskAsync(new GetTaskRequest { TaskId = fixture.A.TaskId }, deadline: TestTimeouts.Deadline());
        Assert.Equal(TestTokens.ProjectA, task.Task.Project);
        var message = await new MessagesService.MessagesServiceClient(reader).GetMessageAsync(new GetMessageRequest { Id = fixture.A.MessageId }, deadline: TestTimeouts.Deadline());
        Assert.Equal(TestTokens.ProjectA, message.Message.Project);
        var progress = await new ProvisioningService.ProvisioningServiceClient(reader).GetProgressAsync(new GetProgressRequest { ClusterId = fixture.A.ClusterId }, deadline: TestTimeouts.Deadline());
        Assert.NotEmpty(progress.Steps);
    }
}
