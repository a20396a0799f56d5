using EventLog.Server.Limits;
using EventLog.V1;
using Google.Rpc;
using Microsoft.Extensions.Options;

namespace EventLog.Security.Tests.Limits;

/// <summary>Per-principal write rate and concurrent streams, message and page size limits, and option validation.</summary>
public sealed class LimitsTests
{
    [Fact]
    public async Task WriteRate_OverTheBudget_IsResourceExhaustedWithRetryInfo_PerPrincipal()
    {
        await using var server = await EventLogHost.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:WritesPerSecondPerPrincipal"] = "2",
            ["Limits:WriteBurstPerPrincipal"] = "5",
        });
        var agentA = new MessagesService.MessagesServiceClient(server.CreateChannel(TestTokens.AgentA));

        RpcException? limited = null;
        var accepted = 0;
        for (var i = 0; i < 20 && limited is null; i++)
        {
            try
            {
                await agentA.CreateMessageAsync(NewMessage(), deadline: TestTimeouts.Deadline());
                accepted++;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
            {
                limited = ex;
            }
        }

        Assert.NotNull(limited);
        Assert.InRange(accepted, 5, 6);
        var retry = limited.GetRpcStatus()?.GetDetail<RetryInfo>();
        Assert.NotNull(retry);
        Assert.InRange(retry.RetryDelay.ToTimeSpan(), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
        Assert.Equal("RATE_LIMITED", limited.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);

        // Another principal has its own budget, and reads are not writes.
        await new MessagesService.MessagesServiceClient(server.CreateChannel(TestTokens.AgentB)).CreateMessageAsync(NewMessage(), deadline: TestTimeouts.Deadline());
        for (var i = 0; i < 10; i++)
        {
            await agentA.ListMessagesAsync(new ListMessagesRequest(), deadline: TestTimeouts.Deadline());
        }

        // After the advised delay the principal may write again.
        await Task.Delay(retry.RetryDelay.ToTimeSpan() + TimeSpan.FromMilliseconds(50));
        await agentA.CreateMessageAsync(NewMessage(), deadline: TestTimeouts.Deadline());
    }

    [Fact]
    public async Task ConcurrentStreams_OverTheLimit_IsResourceExhausted_AndSlotsComeBack()
    {
        await using var server = await EventLogHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxConcurrentStreamsPerPrincipal"] = "3" });
        var limiter = server.Services.GetRequiredService<StreamLimiter>();
        var reader = new MessagesService.MessagesServiceClient(server.CreateChannel(TestTokens.ReaderA));
        using var cancel = new CancellationTokenSource();
        var open = Enumerable.Range(0, 3).Select(_ => reader.WatchMessages(new WatchMessagesRequest(), cancellationToken: cancel.Token)).ToList();
        var reads = open.Select(c => c.ResponseStream.MoveNext(CancellationToken.None)).ToList();
        await WaitUntilAsync(() => limiter.OpenStreams("reader-a") == 3);

        using var fourth = reader.WatchMessages(new WatchMessagesRequest(), deadline: TestTimeouts.Deadline());
        var ex = await Assert.ThrowsAsync<RpcException>(() => fourth.ResponseStream.MoveNext(CancellationToken.None).WithTimeout());
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal("TOO_MANY_STREAMS", ex.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);

        // Other principals are not affected.
        var readerB = new MessagesService.MessagesServiceClient(server.CreateChannel(TestTokens.ReaderB));
        using var other = readerB.WatchMessages(new WatchMessagesRequest(), cancellationToken: cancel.Token);
        var otherRead = other.ResponseStream.MoveNext(CancellationToken.None);
        await WaitUntilAsync(() => limiter.OpenStreams("reader-b") == 1);

        await cancel.CancelAsync();
        foreach (var read in reads.Append(otherRead))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => read.WithTimeout());
        }
        foreach (var call in open)
        {
            call.Dispose();
        }
        await WaitUntilAsync(() => limiter.OpenStreams("reader-a") == 0 && limiter.OpenStreams("reader-b") == 0);
    }

    [Fact]
    public async Task SlowConsumer_IsCutOffWithResourceExhausted_AfterTheWriteTimeout()
    {
        await using var server = await EventLogHost.StartAsync(new Dictionary<string, string?>
        {
            ["Grpc:StreamWriteTimeout"] = "00:00:01",
            ["Limits:WritesPerSecondPerPrincipal"] = "0",
        });
        var agent = new TaskLogService.TaskLogServiceClient(server.CreateChannel(TestTokens.AgentA));
        var task = (await agent.StartTaskAsync(new StartTaskRequest { RequestId = "slow", App = "kimchi", TargetUri = "/slow" }, deadline: TestTimeouts.Deadline())).Task;
        var line = new string('x', 400);
        using (var append = agent.AppendTaskLog(deadline: TestTimeouts.Deadline(60)))
        {
            for (var batch = 0; batch < 20; batch++)
            {
                await append.RequestStream.WriteAsync(new AppendTaskLogRequest { TaskId = task.Id, Lines = { Enumerable.Repeat(line, 1000) } }).WithTimeout();
            }
            await append.RequestStream.CompleteAsync().WithTimeout();
            await append.ResponseAsync.WithTimeout();
        }
        var limiter = server.Services.GetRequiredService<StreamLimiter>();

        // About 8 MB of lines to send; the client reads nothing, so HTTP/2 flow control stops the server's writes.
        var reader = new TaskLogService.TaskLogServiceClient(server.CreateChannel(TestTokens.ReaderA));
        using var tail = reader.TailTaskLog(new TailTaskLogRequest { TaskId = task.Id }, deadline: TestTimeouts.Deadline(60));
        await WaitUntilAsync(() => limiter.OpenStreams("reader-a") == 1);
        await WaitUntilAsync(() => limiter.OpenStreams("reader-a") == 0);

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await tail.ResponseStream.MoveNext(CancellationToken.None).WithTimeout())
            {
            }
        });
        Assert.True(ex.StatusCode == StatusCode.ResourceExhausted, $"{ex.StatusCode}: {ex.Status.Detail}");
    }

    [Fact]
    public async Task MessageAboveReceiveLimit_IsResourceExhausted_PageAboveMax_IsInvalidArgument()
    {
        await using var server = await EventLogHost.StartAsync(new Dictionary<string, string?> { ["Grpc:MaxReceiveMessageSize"] = "65536" });
        var client = new MessagesService.MessagesServiceClient(server.CreateChannel(TestTokens.AgentA));

        var big = NewMessage();
        big.Host = new string('h', 70_000);
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.CreateMessageAsync(big, deadline: TestTimeouts.Deadline()).ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);

        var page = await Assert.ThrowsAsync<RpcException>(() => client.ListMessagesAsync(new ListMessagesRequest { PageSize = 1001 }, deadline: TestTimeouts.Deadline()).ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.InvalidArgument, page.StatusCode);
    }

    [Theory]
    [InlineData("Limits:MaxConcurrentStreamsPerPrincipal", "-1")]
    [InlineData("Limits:WritesPerSecondPerPrincipal", "-5")]
    [InlineData("Grpc:StreamWriteTimeout", "-00:00:01")]
    [InlineData("Observability:OtlpEndpoint", "ftp://example")]
    [InlineData("Observability:TraceSampleRatio", "1.5")]
    public async Task InvalidLimitOptions_StopTheStart(string key, string value)
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => EventLogHost.StartAsync(new Dictionary<string, string?> { [key] = value }));
        Assert.IsAssignableFrom<OptionsValidationException>(ex.GetBaseException());
        Assert.Contains(key.Split(':')[1], ex.GetBaseException().Message, StringComparison.Ordinal);
    }

    private static CreateMessageRequest NewMessage() => new()
    {
        RequestId = "limits-" + Guid.NewGuid().ToString("N"),
        ActionCode = "001",
        DetailCode = "001",
        Level = MessageLevel.Error,
        ResourceType = "volume",
        ResourceUuid = Guid.NewGuid().ToString(),
    };

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow + TestTimeouts.Default;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "condition not reached in time");
            await Task.Delay(20);
        }
    }
}
