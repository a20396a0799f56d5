using EventLog.V1;

namespace EventLog.Client.Tests;

/// <summary>Failures reach callers as EventLogException with status code, ErrorInfo reason and field violations.</summary>
public sealed class ErrorTests : IAsyncLifetime
{
    private EventLogHost _server = null!;

    public async Task InitializeAsync() => _server = await SdkHost.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetTask_Missing_IsNotFoundWithReason()
    {
        var client = _server.CreateClient(TestTokens.ReaderA);

        var ex = await Assert.ThrowsAsync<EventLogException>(() => client.Tasks.GetTaskAsync(987654)).WithTimeout();

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.True(ex.IsNotFound);
        Assert.Equal("NOT_FOUND", ex.Reason);
        Assert.IsType<RpcException>(ex.InnerException);
    }

    [Fact]
    public async Task ListTasks_NegativePageSize_IsInvalidWithFieldViolation()
    {
        var client = _server.CreateClient(TestTokens.ReaderA);

        var ex = await Assert.ThrowsAsync<EventLogException>(() => client.Tasks.ListTasksPageAsync(new ListTasksRequest { PageSize = -1 })).WithTimeout();

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.True(ex.IsInvalid);
        Assert.Contains(ex.FieldViolations, v => v.Field == "page_size");
    }

    [Fact]
    public async Task CreateMessage_UnknownCode_IsInvalidAndNotRetried()
    {
        var client = _server.CreateClient(TestTokens.AgentA);

        var ex = await Assert.ThrowsAsync<EventLogException>(() => client.Messages.CreateMessageAsync(new CreateMessageRequest
        {
            RequestId = "req-x",
            ActionCode = "NO_SUCH_ACTION",
            DetailCode = "001",
            Level = MessageLevel.Error,
        })).WithTimeout();

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.NotEmpty(ex.FieldViolations);
    }

    [Fact]
    public async Task NoToken_IsUnauthenticated()
    {
        var client = _server.CreateClient(token: "");

        var ex = await Assert.ThrowsAsync<EventLogException>(() => client.Tasks.GetTaskAsync(1)).WithTimeout();

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }
}
