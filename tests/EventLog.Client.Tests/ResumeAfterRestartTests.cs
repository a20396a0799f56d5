using EventLog.V1;

namespace EventLog.Client.Tests;

/// <summary>
/// Watches, tails and exports keep going, with no gap and no duplicate, while the server is stopped and
/// started again on the same database and port mid-stream: every resumable stream the SDK exposes as an
/// <see cref="IAsyncEnumerable{T}"/> (task log tail, task state, request export, messages, provisioning
/// progress, guest log tail, agent commands).
/// </summary>
public sealed partial class ResumeAfterRestartTests : IAsyncLifetime
{
    private EventLogHost _server = null!;

    public async Task InitializeAsync()
    {
        _server = await SdkHost.StartAsync(
        [
            // Small export batches, so an export is many messages and a restart can fall between them.
            new("TaskLog:ExportBatchEntries", "10"),
            // Seeding hundreds of entries is not what the write rate limit is about.
            new("Limits:WritesPerSecondPerPrincipal", "0"),
        ]);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TailLog_Follow_ServerRestartedMidStream_NoGapNoDuplicate()
    {
        var client = _server.CreateClient(TestTokens.AgentA);
        var started = await client.Tasks.StartTaskAsync(new StartTaskRequest { App = "kimchi", TargetUri = "/vms/tail/clone" }).WithTimeout();
        var id = started.Task.Id;
        await client.Tasks.AppendLogAsync(id, Lines(1, 50), firstLineNumber: 1).WithTimeout();

        var reconnects = 0;
        var received = new List<TaskLogLine>();
        var first50 = new TaskCompletionSource();
        var consumer = Task.Run(async () =>
        {
            var options = new EventLogStreamOptions { OnReconnecting = (_, _, _) => Interlocked.Increment(ref reconnects) };
            await foreach (var line in client.Tasks.TailLogAsync(id, follow: true, streamOptions: options, cancellationToken: TestTimeouts.Token()))
            {
                lock (received)
                {
                    received.Add(line);
                    if (received.Count == 50)
                    {
                        first50.TrySetResult();
                    }
                }
            }
        });
        await first50.Task.WithTimeout();

        await _server.StopAsync().WithTimeout();
        await Task.Delay(500);
        await _server.RestartAsync().WithTimeout();

        // Written after the restart, in two batches, while the consumer is reconnecting or reconnected.
        await client.Tasks.AppendLogAsync(id, Lines(51, 75), firstLineNumber: 51).WithTimeout();
        await client.Tasks.AppendLogAsync(id, Lines(76, 100), firstLineNumber: 76).WithTimeout();
        await client.Tasks.CompleteTaskAsync(id).WithTimeout();
        await consumer.WithTimeout();

        Assert.True(reconnects > 0, "the tail should have reconnected");
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), received.Select(l => l.Number));
        Assert.Equal(Lines(1, 100), received.Select(l => l.Text));
    }

    [Fact]
    public async Task WatchMessages_ServerRestartedMidStream_NoGapNoDuplicate()
    {
        var client = _server.CreateClient(TestTokens.AgentA);
        for (var i = 1; i <= 5; i++)
        {
            await client.Messages.CreateMessageAsync(NewMessage(i)).WithTimeout();
        }

        var received = new List<Message>();
        var firstFive = new TaskCompletionSource();
        var all = new TaskCompletionSource();
        using var stop = new CancellationTokenSource(TestTimeouts.Default);
        var consumer = Task.Run(async () =>
        {
            await foreach (var message in client.Messages.WatchMessagesAsync(cancellationToken: stop.Token))
            {
                lock (received)
                {
                    received.Add(message);
                    if (received.Count == 5)
                    {
                        firstFive.TrySetResult();
                    }
                    if (received.Count == 10)
                    {
                        all.TrySetResult();
                    }
                }
            }
        });
        await firstFive.Task.WithTimeout();

        await _server.StopAsync().WithTimeout();
        await _server.RestartAsync().WithTimeout();
        for (var i = 6; i <= 10; i++)
        {
            await client.Messages.CreateMessageAsync(NewMessage(i)).WithTimeout();
        }
        await all.Task.WithTimeout();
        await Task.Delay(300);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consumer).WithTimeout();

        Assert.Equal(10, received.Count);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"req-{i}"), received.Select(m => m.RequestId));
        var sequences = received.Select(m => m.Sequence).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Distinct().Count(), sequences.Count);
    }

    [Fact]
    public async Task WatchProgress_ServerRestartedMidStream_NoGapNoDuplicate()
    {
        var client = _server.CreateClient(TestTokens.AgentA);
        var plan = await client.Provisioning.BeginAsync("cluster-restart", StepType.Creating, ["Launching instances"]).WithTimeout();
        var step = await plan.StartStepAsync("Launching instances", total: 10).WithTimeout();
        for (var i = 1; i <= 5; i++)
        {
            await step.ReportAsync($"i-{i}", $"node-{i}", successful: true).WithTimeout();
        }

        var events = new List<WatchProgressResponse>();
        var firstFive = new TaskCompletionSource();
        var allTen = new TaskCompletionSource();
        using var stop = new CancellationTokenSource(TestTimeouts.Default);
        var consumer = Task.Run(async () =>
        {
            await foreach (var update in client.Provisioning.WatchProgressAsync("cluster-restart", cancellationToken: stop.Token))
            {
                lock (events)
                {
                    events.Add(update);
                    var eventCount = events.Count(u => u.UpdateCase == WatchProgressResponse.UpdateOneofCase.Event);
                    if (eventCount == 5)
                    {
                        firstFive.TrySetResult();
                    }
                    if (eventCount == 10)
                    {
                        allTen.TrySetResult();
                    }
                }
            }
        });
        await firstFive.Task.WithTimeout();

        await _server.StopAsync().WithTimeout();
        await _server.RestartAsync().WithTimeout();
        for (var i = 6; i <= 10; i++)
        {
            await step.ReportAsync($"i-{i}", $"node-{i}", successful: true).WithTimeout();
        }
        await allTen.Task.WithTimeout();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consumer).WithTimeout();

        var sequences = events.Select(u => u.Sequence).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Distinct().Count(), sequences.Count);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"i-{i}"),
            events.Where(u => u.UpdateCase == WatchProgressResponse.UpdateOneofCase.Event).Select(u => u.Event.InstanceId));
    }

    private static List<string> Lines(int from, int to) => Enumerable.Range(from, to - from + 1).Select(i => $"line {i}").ToList();

    private static CreateMessageRequest NewMessage(int i) => new()
    {
        RequestId = $"req-{i}",
        ActionCode = "001",
        DetailCode = "003",
        Level = MessageLevel.Error,
        ResourceType = "volume",
        ResourceUuid = Guid.NewGuid().ToString(),
        Host = "node-1",
    };
}
