
namespace EventLog.Client.Tests;

/// <summary>A writer driven into the server's write rate limit waits as the server asks and loses nothing.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task TaskLog_OverTheWriteRate_WaitsForRetryInfo_AndStoresEveryLine()
    {
        await using var server = await SdkHost.StartAsync(
        [
            new("Limits:WritesPerSecondPerPrincipal", "20"),
            new("Limits:WriteBurstPerPrincipal", "5"),
        ]);
        var client = server.CreateClient(TestTokens.AgentA);
        var options = new TaskScopeOptions { MaxLinesPerBatch = 2, LogFlushInterval = TimeSpan.FromMilliseconds(1), WatchForCancellation = false };

        long taskId;
        await using (var task = await client.Tasks.StartAsync("kimchi", "/vms/rate", options).WithTimeout())
        {
            taskId = task.Id;
            for (var i = 1; i <= 80; i++)
            {
                task.Log($"line {i}");
                if (i % 2 == 0)
                {
                    // One batch per pair: about 40 appends at once, well over 20 writes per second.
                    await Task.Yield();
                }
            }
            await task.FlushAsync().WithTimeout();
            await task.CompleteAsync().WithTimeout();
        }

        var lines = new List<string>();
        await foreach (var line in server.CreateClient(TestTokens.ReaderA).Tasks.TailLogAsync(taskId, cancellationToken: TestTimeouts.Token()))
        {
            lines.Add(line.Text);
        }
        Assert.Equal(Enumerable.Range(1, 80).Select(i => $"line {i}"), lines);
    }

    [Fact]
    public async Task RateLimited_CarriesTheServersRetryDelay()
    {
        await using var server = await SdkHost.StartAsync(
        [
            new("Limits:WritesPerSecondPerPrincipal", "1"),
            new("Limits:WriteBurstPerPrincipal", "1"),
        ]);
        var client = server.CreateClient(TestTokens.AgentA, o => o.Retry.MaxAttempts = 1);

        await client.Tasks.StartTaskAsync(new EventLog.V1.StartTaskRequest { App = "kimchi", TargetUri = "/vms/r1" }).WithTimeout();
        var refused = await Assert.ThrowsAsync<EventLogException>(() => client.Tasks.StartTaskAsync(new EventLog.V1.StartTaskRequest { App = "kimchi", TargetUri = "/vms/r2" }).WithTimeout());

        Assert.Equal(Grpc.Core.StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("RATE_LIMITED", refused.Reason);
        Assert.NotNull(refused.RetryDelay);
        Assert.InRange(refused.RetryDelay!.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(2));
    }
}
