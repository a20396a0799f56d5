using EventLog.V1;

namespace EventLog.Security.Tests.Observability;

/// <summary>
/// One structured log entry per call, with method, status, duration, request id and principal, and never a token.
/// Successful calls log at Debug, so these servers turn the call log's category up to Debug; at the default
/// levels only failures are written.
/// </summary>
public sealed class CallLoggingTests : IAsyncLifetime
{
    private EventLogHost? _server;

    private EventLogHost Server => _server!;

    /// <summary>The category of the per-call log, at Debug.</summary>
    private static readonly KeyValuePair<string, string?> CallLogAtDebug = new("Logging:LogLevel:EventLog.Server.Observability", "Debug");

    public async Task InitializeAsync() => _server = await EventLogHost.StartAsync(new Dictionary<string, string?> { [CallLogAtDebug.Key] = CallLogAtDebug.Value });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Fact]
    public async Task EveryCall_IsLoggedWithRequestIdAndPrincipal()
    {
        var client = new MessagesService.MessagesServiceClient(Server.CreateChannel(TestTokens.ReaderA));
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
    public async Task AtInformation_SuccessfulCallsAndProbesWriteNothing_FailuresAreWritten()
    {
        await using var server = await EventLogHost.StartAsync();
        var client = new MessagesService.MessagesServiceClient(server.CreateChannel(TestTokens.ReaderA));
        var health = new Grpc.Health.V1.Health.HealthClient(server.CreateChannel(null));
        for (var i = 0; i < 20; i++)
        {
            await client.ListMessagesAsync(new ListMessagesRequest(), new Metadata { { "x-request-id", $"quiet-{i}" } }, TestTimeouts.Deadline()).ResponseAsync.WithTimeout();
            await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest(), deadline: TestTimeouts.Deadline()).ResponseAsync.WithTimeout();
        }
        var missing = client.GetMessageAsync(new GetMessageRequest { Id = Guid.NewGuid().ToString() }, new Metadata { { "x-request-id", "loud-1" } }, TestTimeouts.Deadline());
        await Assert.ThrowsAsync<RpcException>(() => missing.ResponseAsync.WithTimeout());

        var calls = server.Logs.Entries.Where(e => e.EventId.Id is >= 700 and < 710).ToList();
        Assert.Single(calls);
        Assert.Equal("NOT_FOUND", calls[0].Properties["StatusCode"]);
        Assert.DoesNotContain(server.Logs.Entries, e => e.Message.Contains("grpc.health", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RequestIdIsGenerated_WhenMissingOrUnsafe()
    {
        var client = new MessagesService.MessagesServiceClient(Server.CreateChannel(TestTokens.ReaderA));
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
        foreach (var (token, _, _, _) in TestTokens.All)
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
            foreach (var secret in TestTokens.All.Select(t => t.Token).Append("sec-wrong-token-secret-value"))
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task CallsOfEveryPrincipal_AreLoggedWithRequestIdAndPrincipal_AndNoEntryHoldsAToken()
    {
        foreach (var (token, name, _, _) in TestTokens.All)
        {
            var channel = Server.CreateChannel(token);
            var tasks = new TaskLogService.TaskLogServiceClient(channel);
            // A unary read, a failing unary call, a server stream and a client stream: each logs one line.
            await tasks.ListTasksAsync(new ListTasksRequest(), Id($"{name}-list"), TestTimeouts.Deadline()).ResponseAsync.WithTimeout();
            await Assert.ThrowsAsync<RpcException>(() => tasks.GetTaskAsync(new GetTaskRequest { TaskId = 424242 }, Id($"{name}-get"), TestTimeouts.Deadline()).ResponseAsync.WithTimeout());
            using (var watch = new MessagesService.MessagesServiceClient(channel).WatchMessages(new WatchMessagesRequest(), Id($"{name}-watch"), TestTimeouts.Deadline(0.5)))
            {
                var ended = await Assert.ThrowsAsync<RpcException>(async () =>
                {
                    while (await watch.ResponseStream.MoveNext(CancellationToken.None).WithTimeout())
                    {
                    }
                });
                Assert.Equal(StatusCode.DeadlineExceeded, ended.StatusCode);
            }
            using (var append = tasks.AppendTaskLog(Id($"{name}-append"), TestTimeouts.Deadline()))
            {
                try
                {
                    await append.RequestStream.WriteAsync(new AppendTaskLogRequest { TaskId = 424242, Lines = { "x" } }).WithTimeout();
                    await append.RequestStream.CompleteAsync().WithTimeout();
                }
                catch (RpcException)
                {
                    // The server may refuse the call (no such task, or no right to write) before the client has finished writing; the status below says why.
                }
                var refused = await Assert.ThrowsAsync<RpcException>(() => append.ResponseAsync.WithTimeout());
                Assert.Contains(refused.StatusCode, new[] { StatusCode.NotFound, StatusCode.PermissionDenied });
            }
        }

        var requestIds = TestTokens.All.SelectMany(t => new[] { "list", "get", "watch", "append" }.Select(call => $"{t.Name}-{call}")).ToList();
        // A stream's line is written when its handler ends, which can be just after the client saw the deadline.
        var until = DateTime.UtcNow + TestTimeouts.Default;
        while (!requestIds.All(Logged) && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }
        foreach (var (_, name, _, _) in TestTokens.All)
        {
            foreach (var call in new[] { "list", "get", "watch", "append" })
            {
                var entry = Single($"{name}-{call}");
                Assert.Equal(name, entry.Properties["Principal"]);
                Assert.Contains($"(request {name}-{call}, principal {name},", entry.Message, StringComparison.Ordinal);
            }
        }
        var entries = Server.Logs.Entries;
        Assert.NotEmpty(entries);
        foreach (var entry in entries)
        {
            var text = $"{entry.Category} {entry.Message} {entry.Exception} " + string.Join(";", entry.Properties.Select(p => $"{p.Key}={p.Value}"));
            Assert.All(TestTokens.All, t => Assert.DoesNotContain(t.Token, text, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ConsoleOfTheServerProcess_HasRequestIdAndPrincipal_NeverTheToken()
    {
        await using var child = await EventLogProcess.StartAsync([new("Logging:LogLevel:Default", "Information"), CallLogAtDebug]).WaitAsync(TimeSpan.FromSeconds(90));
        foreach (var (token, name, _, _) in TestTokens.All)
        {
            using var channel = child.CreateChannel(token);
            var tasks = new TaskLogService.TaskLogServiceClient(channel);
            await tasks.ListTasksAsync(new ListTasksRequest(), Id($"console-{name}-list"), TestTimeouts.Deadline()).ResponseAsync.WithTimeout();
            await Assert.ThrowsAsync<RpcException>(() => tasks.GetTaskAsync(new GetTaskRequest { TaskId = 424242 }, Id($"console-{name}-get"), TestTimeouts.Deadline()).ResponseAsync.WithTimeout());
        }

        var expected = TestTokens.All.SelectMany(t => new[] { $"(request console-{t.Name}-list, principal {t.Name},", $"(request console-{t.Name}-get, principal {t.Name}," }).ToList();
        // The console logger writes in the background.
        var until = DateTime.UtcNow + TestTimeouts.Default;
        while (!expected.All(e => child.Output.Contains(e, StringComparison.Ordinal)) && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }
        var output = child.Output;
        Assert.All(expected, e => Assert.Contains(e, output, StringComparison.Ordinal));
        Assert.All(TestTokens.All, t => Assert.DoesNotContain(t.Token, output, StringComparison.Ordinal));
    }

    private bool Logged(string requestId) =>
        Server.Logs.Entries.Any(e => e.EventId.Id is >= 700 and <= 703 && Equals(e.Properties.GetValueOrDefault("RequestId"), requestId));

    private static Metadata Id(string requestId) => new() { { "x-request-id", requestId } };

    private LogEntry Single(string requestId) =>
        Assert.Single(Server.Logs.Entries, e => e.EventId.Id is >= 700 and <= 703 && Equals(e.Properties.GetValueOrDefault("RequestId"), requestId));
}
