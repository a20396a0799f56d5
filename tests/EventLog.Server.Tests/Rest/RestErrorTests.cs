using System.Net;
using EventLog.V1;

namespace EventLog.Server.Tests.Rest;

/// <summary>
/// HTTP/JSON errors: the HTTP status that matches the gRPC code, and a google.rpc.Status body carrying the same
/// details a gRPC caller gets in grpc-status-details-bin (an ErrorInfo, and a BadRequest naming the field).
/// </summary>
public sealed class RestErrorTests
{
    private const string Messages = RestCalls.ProjectA + "/messages";

    [Fact]
    public async Task NoToken_Or_UnknownToken_Is401()
    {
        await using var server = await EventLogHost.StartAsync();

        var status = await server.CreateHttpClient(token: null).FailsAsync(HttpMethod.Get, Messages, HttpStatusCode.Unauthorized, StatusCode.Unauthenticated, "UNAUTHENTICATED");
        Assert.Contains("authorization", status.Message, StringComparison.Ordinal);
        await server.CreateHttpClient("not-a-token").FailsAsync(HttpMethod.Get, Messages, HttpStatusCode.Unauthorized, StatusCode.Unauthenticated, "UNAUTHENTICATED");
    }

    [Fact]
    public async Task AnotherProject_Is403_AndItsResources404()
    {
        await using var server = await EventLogHost.StartAsync();
        var agentB = new MessagesService.MessagesServiceClient(server.CreateChannel(TestTokens.AgentB));
        var message = (await agentB.CreateMessageAsync(new CreateMessageRequest
        {
            RequestId = "req-b", ActionCode = "001", DetailCode = "003", Level = MessageLevel.Error, ResourceUuid = Guid.NewGuid().ToString(),
        }, deadline: TestTimeouts.Deadline())).Message;
        var readerA = server.CreateHttpClient(TestTokens.ReaderA);

        await readerA.FailsAsync(HttpMethod.Get, $"/v1/projects/{TestTokens.ProjectB}/messages", HttpStatusCode.Forbidden, StatusCode.PermissionDenied, "PERMISSION_DENIED");
        await readerA.FailsAsync(HttpMethod.Get, $"/v1/projects/{TestTokens.ProjectB}/tasks/1", HttpStatusCode.Forbidden, StatusCode.PermissionDenied, "PERMISSION_DENIED");
        // Named through the caller's own project, another project's message does not exist.
        await readerA.FailsAsync(HttpMethod.Get, $"{Messages}/{message.Id}", HttpStatusCode.NotFound, StatusCode.NotFound, "NOT_FOUND");
        // The admin names any project.
        var listed = await server.CreateHttpClient(TestTokens.Admin).GetAsync<ListMessagesResponse>($"/v1/projects/{TestTokens.ProjectB}/messages");
        Assert.Equal(message.Id, Assert.Single(listed.Messages).Id);
    }

    [Fact]
    public async Task MissingResources_Are404()
    {
        await using var server = await EventLogHost.StartAsync();
        var reader = server.CreateHttpClient(TestTokens.ReaderA);

        await reader.FailsAsync(HttpMethod.Get, $"{Messages}/{Guid.NewGuid()}", HttpStatusCode.NotFound, StatusCode.NotFound, "NOT_FOUND");
        await reader.FailsAsync(HttpMethod.Get, $"{RestCalls.ProjectA}/tasks/424242", HttpStatusCode.NotFound, StatusCode.NotFound, "NOT_FOUND");
        await reader.FailsAsync(HttpMethod.Get, $"{RestCalls.ProjectA}/instances/no-such-instance/logs/guest", HttpStatusCode.NotFound, StatusCode.NotFound, "NOT_FOUND");
        await server.CreateHttpClient(TestTokens.MemberA).FailsAsync(HttpMethod.Post, $"{RestCalls.ProjectA}/tasks/424242:cancel", HttpStatusCode.NotFound, StatusCode.NotFound, "NOT_FOUND");
    }

    [Theory]
    [InlineData("/messages?page_size=-1", "page_size")]
    [InlineData("/messages?page_size=abc", "page_size")]
    [InlineData("/messages?pageSize=1.5", "page_size")]
    [InlineData("/messages?page_size=1&page_size=2", "page_size")]
    [InlineData("/messages?level=LOUD", "level")]
    [InlineData("/messages?created.start_time=yesterday", "created.start_time")]
    [InlineData("/messages?created=2026-01-01T00:00:00Z", "created")]
    [InlineData("/messages?resourceTyp=volume", "resourceTyp")]
    [InlineData("/messages?project=project-b", "project")]
    [InlineData("/tasks/abc", "task_id")]
    [InlineData("/tasks?state=7", "state")]
    [InlineData("/requests?filter.during_task_id=x", "filter.during_task_id")]
    [InlineData("/clusters/c-1/events?successful=maybe", "successful")]
    [InlineData("/instances/i-1/logs/guest:tail?lines=many", "lines")]
    public async Task BadInput_Is400_NamingTheField(string path, string field)
    {
        await using var server = await EventLogHost.StartAsync();

        await server.CreateHttpClient(TestTokens.ReaderA).FailsAsync(HttpMethod.Get, $"{RestCalls.ProjectA}{path}", HttpStatusCode.BadRequest, StatusCode.InvalidArgument, "INVALID_ARGUMENT", field);
    }

    [Fact]
    public async Task UnknownPath_Is404_AndGrpcStillWorksBesideIt()
    {
        await using var server = await EventLogHost.StartAsync();
        var reader = server.CreateHttpClient(TestTokens.ReaderA);

        using var response = await reader.GetAsync($"{RestCalls.ProjectA}/no-such-collection").WithTimeout();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var grpc = new MessagesService.MessagesServiceClient(server.CreateChannel(TestTokens.ReaderA));
        Assert.Empty((await grpc.ListMessagesAsync(new ListMessagesRequest(), deadline: TestTimeouts.Deadline())).Messages);
    }
}
