using EventLog.V1;

namespace EventLog.Client.Tests;

public sealed partial class ResumeAfterRestartTests
{
    [Fact]
    public async Task WatchState_ServerRestartedMidStream_EverySnapshotOnceInVersionOrder()
    {
        var client = _server.CreateClient(TestTokens.AgentA);
        var started = await client.Tasks.StartTaskAsync(new StartTaskRequest { App = "kimchi", TargetUri = "/vms/watch-state/clone" }).WithTimeout();
        var id = started.Task.Id;

        var reconnects = 0;
        var snapshots = new List<AsyncTask>();
        var arrived = new SemaphoreSlim(0);
        var consumer = Task.Run(async () =>
        {
            var options = new EventLogStreamOptions { OnReconnecting = (_, _, _) => Interlocked.Increment(ref reconnects) };
            await foreach (var task in client.Tasks.WatchStateAsync(id, options, TestTimeouts.Token()))
            {
                lock (snapshots)
                {
                    snapshots.Add(task);
                }
                arrived.Release();
            }
        });
        // The server may coalesce versions written faster than they are sent, so each change is awaited
        // on the consumer's side before the next one: then every version must arrive.
        await arrived.WaitAsync(TestTimeouts.Default);
        await client.Tasks.ReportProgressAsync(id, 10, "copying").WithTimeout();
        await arrived.WaitAsync(TestTimeouts.Default);

        await _server.StopAsync().WithTimeout();
        await Task.Delay(500);
        await _server.RestartAsync().WithTimeout();

        foreach (var percent in new[] { 40, 70 })
        {
            await client.Tasks.ReportProgressAsync(id, percent, "copying").WithTimeout();
            await arrived.WaitAsync(TestTimeouts.Default);
        }
        await client.Tasks.CompleteTaskAsync(id).WithTimeout();
        await consumer.WithTimeout();

        Assert.True(reconnects > 0, "the watch should have reconnected");
        var versions = snapshots.Select(t => t.Version).ToList();
        Assert.Equal(Enumerable.Range((int)versions[0], versions.Count).Select(v => (long)v), versions);
        Assert.Equal([0, 10, 40, 70], snapshots.Take(4).Select(t => t.ProgressPercent));
        Assert.Equal([TaskState.Running, TaskState.Running, TaskState.Running, TaskState.Running, TaskState.Succeeded], snapshots.Select(t => t.State));
    }

    [Fact]
    public async Task ExportRequests_ServerRestartedMidStream_EveryLineOnceInOrder()
    {
        var client = _server.CreateClient(TestTokens.AgentA);
        // Long enough lines that the export outgrows the HTTP/2 flow-control window: while the consumer
        // pauses, the server is blocked mid-export, and the restart cuts the stream in the middle.
        var padding = new string('x', 300);
        for (var i = 1; i <= 600; i++)
        {
            await client.Tasks.RecordRequestAsync(new RecordRequestRequest
            {
                Kind = RequestKind.Post,
                User = "exporter",
                ClientIp = "10.0.0.9",
                Status = 202,
                App = "kimchi",
                MessageCode = "KCHVM0003L",
                MessageParams = { ["name"] = $"vm-{i:D4}-{padding}" },
            }).WithTimeout();
        }
        var filter = new RequestFilter { User = "exporter" };
        var reference = await client.Tasks.ExportRequestsAsync(filter).TakeAsync(10_000);
        Assert.Equal(600, reference.Count);

        var reconnects = 0;
        var received = new List<string>();
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = Task.Run(async () =>
        {
            var options = new EventLogStreamOptions { OnReconnecting = (_, _, _) => Interlocked.Increment(ref reconnects) };
            await foreach (var line in client.Tasks.ExportRequestsAsync(filter, streamOptions: options, cancellationToken: TestTimeouts.Token()))
            {
                received.Add(line);
                if (received.Count == 15)
                {
                    paused.TrySetResult();
                    await resume.Task.WaitAsync(TestTimeouts.Default);
                }
            }
        });
        await paused.Task.WithTimeout();

        await _server.StopAsync().WithTimeout();
        await Task.Delay(500);
        await _server.RestartAsync().WithTimeout();
        resume.SetResult();
        await consumer.WithTimeout();

        Assert.True(reconnects > 0, "the export should have been cut by the restart and resumed");
        Assert.Equal(reference, received);
    }
}
