using EventLog.Security.Tests.Infrastructure;
using EventLog.V1;
using Grpc.Core;

namespace EventLog.Security.Tests.Observability;

/// <summary>One structured log entry per call, with method, status, duration, request id and principal, and never a token.</summary>
public sealed class CallLoggingTests : IAsyncLifetime
{
    private SecurityServer? _server;

    private SecurityServer Server => _server!;

    public async Task InitializeAsync() => _server = await SecurityServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Fact]
    public async Task EveryCall_IsLoggedWithRequestIdAndPrincipal()
    {
        var client = new MessagesService.MessagesServiceClient(Server.CreateChannel(Tokens.ReaderA));
        var call = client.ListMessagesAsync(new ListMessagesRequest(), new Metadata { { "x-request-id", "obs-list-1" } }, TestTimeouts.Deadline());
        await call.ResponseAsync.WithTimeout();
        Assert.Equal("obs-list-1", call.GetTrailers().GetValue("x-request-id"));

        var missing = client.GetMessageAsync(new GetMessageRequest { Id = Guid.NewGuid().ToString() }, new Metadata { { "x-request-id", "obs-get-1" } }, TestTimeouts.Deadline());
        await Assert.ThrowsAsync<RpcException>(() => missing.ResponseAsync.WithTimeout());

        var ok = Single("obs-list-1");
        Assert.Equal(700, ok.EventId.Id);
        Assert.Equal("/eventlog.v1.MessagesService/ListMessages", ok.Properties["Method"]);
        Assert.Equal("OK", ok.Properties["StatusCode"]);
        Assert.Equal("reader-a", ok.Properties["Principal"]);
        Assert.IsType<double>(ok.Properties["DurationMs"]);
        Assert.StartsWith("ipv4:127.0.0.1:", (string)ok.Properties["Peer"]!, StringComparison.Ordinal);

        var notFound = Single("obs-get-1");
        Assert.Equal(701, notFound.EventId.Id);
        Assert.Equal("NOT_FOUND", notFound.Properties["StatusCode"]);
        Assert.Equal(LogLevel.Information, notFound.Level);
    }

    [Fact]
    public async Task RequestIdIsGenerated_WhenMissingOrUnsafe()
    {
        var client = new MessagesService.MessagesServiceClient(Server.CreateChannel(Tokens.ReaderA));
        var plain = client.ListMessagesAsync(new ListMessagesRequest(), deadline: TestTimeouts.Deadline());
        await plain.ResponseAsync.WithTimeout();
        Assert.Matches("^[0-9a-f]{32}$", plain.GetTrailers().GetValue("x-request-id"));

        var forged = client.ListMessagesAsync(new ListMessagesRequest(), new Metadata { { "x-request-id", "a b\" principal=admin" } }, TestTimeouts.Deadline());
        await forged.ResponseAsync.WithTimeout();
        Assert.Matches("^[0-9a-f]{32}$", forged.GetTrailers().GetValue("x-request-id"));
    }

    [Fact]
    public async Task Tokens_NeverAppearInLogs()
    {
        foreach (var (token, _, _, _) in Tokens.All)
        {
            var client = new TaskLogService.TaskLogServiceClient(Server.CreateChannel(token));
            await Assert.ThrowsAsync<RpcException>(() => client.GetTaskAsync(new GetTaskRequest { TaskId = 424242 }, deadline: TestTimeouts.Deadline()).ResponseAsync.WithTimeout());
        }
        var anonymous = new TaskLogService.TaskLogServiceClient(Server.CreateChannel("sec-wrong-token-secret-value"));
        var unauthenticated = await Assert.ThrowsAsync<RpcException>(() => anonymous.GetTaskAsync(new GetTaskRequest { TaskId = 1 }, deadline: TestTimeouts.Deadline()).ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.Unauthenticated, unauthenticated.StatusCode);

        var entries = Server.Logs.Entries;
        Assert.Contains(entries, e => e.EventId.Id == 701 && (string?)e.Properties["StatusCode"] == "UNAUTHENTICATED" && (string?)e.Properties["Principal"] == "-");
        foreach (var entry in entries)
        {
            var text = entry.ToString() + string.Join(";", entry.Properties.Select(p => $"{p.Key}={p.Value}"));
            foreach (var secret in Tokens.All.Select(t => t.Token).Append("sec-wrong-token-secret-value"))
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }

    private LogEntry Single(string requestId) =>
        Assert.Single(Server.Logs.Entries, e => e.EventId.Id is >= 700 and <= 703 && Equals(e.Properties.GetValueOrDefault("RequestId"), requestId));
}
