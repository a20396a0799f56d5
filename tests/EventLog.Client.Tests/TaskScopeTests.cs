using EventLog.V1;

namespace EventLog.Client.Tests;

public sealed class TaskScopeTests : IAsyncLifetime
{
    private EventLogHost _server = null!;
    private EventLogClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await SdkHost.StartAsync();
        _client = _server.CreateClient(TestTokens.AgentA);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Complete_RecordsSuccessLogLinesAndTaskEntries()
    {
        long id;
        await using (var task = await _client.Tasks.StartAsync("kimchi", "/plugins/kimchi/vms/a/clone").WithTimeout())
        {
            id = task.Id;
            task.Log("copying disk 1");
            task.Log("copying disk 2");
            await task.ReportProgressAsync(50, "half way").WithTimeout();
            task.Log("done");
            var completed = await task.CompleteAsync().WithTimeout();
            Assert.Equal(TaskState.Succeeded, completed.State);
        }

        var stored = await _client.Tasks.GetTaskAsync(id).WithTimeout();
        Assert.Equal(TaskState.Succeeded, stored.State);
        Assert.Equal(3, stored.LineCount);
        var lines = await _client.Tasks.TailLogAsync(id).TakeAsync(10);
        Assert.Equal(["copying disk 1", "copying disk 2", "done"], lines.Select(l => l.Text));
        Assert.Equal([1L, 2L, 3L], lines.Select(l => l.Number));
        var entries = await _client.Tasks.ListRequestsAsync(new RequestFilter { TaskId = id }).TakeAsync(10);
        Assert.Equal([1000, 1001], entries.Where(e => e.Kind == RequestKind.Task).Select(e => e.Status).Order());
    }

    [Fact]
    public async Task FailAsync_WithTaskFailedException_RecordsItsDetailCode_AndDisposalKeepsIt()
    {
        long id = 0;
        var thrown = await Assert.ThrowsAsync<TaskFailedException>(async () =>
        {
            await using var task = await _client.Tasks.StartAsync("kimchi", "/plugins/kimchi/vms/b/clone").WithTimeout();
            id = task.Id;
            try
            {
                task.Log("cloning");
                await Task.Yield();
                throw new TaskFailedException("KCHVM0001E", new Dictionary<string, string> { ["vm"] = "b" });
            }
            catch (Exception ex)
            {
                await task.FailAsync(ex).WithTimeout();
                throw;
            }
        }).WithTimeout();

        Assert.Equal("KCHVM0001E", thrown.DetailCode);
        var stored = await _client.Tasks.GetTaskAsync(id).WithTimeout();
        Assert.Equal(TaskState.Failed, stored.State);
        Assert.Equal("KCHVM0001E", stored.DetailCode);
        Assert.Equal("b", stored.DetailParams["vm"]);
        Assert.Equal(1, stored.LineCount);
        var entries = await _client.Tasks.ListRequestsAsync(new RequestFilter { TaskId = id }).TakeAsync(10);
        Assert.Contains(entries, e => e.Status == 1002 && e.DetailCode == "KCHVM0001E");
    }

    [Fact]
    public async Task FailAsync_WithOtherException_RecordsUnhandledErrorCode()
    {
        long id = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var task = await _client.Tasks.StartAsync("gingerbase", "/host/swupdate").WithTimeout();
            id = task.Id;
            try
            {
                throw new InvalidOperationException("disk full");
            }
            catch (Exception ex)
            {
                await task.FailAsync(ex).WithTimeout();
                throw;
            }
        }).WithTimeout();

        var stored = await _client.Tasks.GetTaskAsync(id).WithTimeout();
        Assert.Equal(TaskState.Failed, stored.State);
        Assert.Equal(new TaskScopeOptions().UnhandledErrorDetailCode, stored.DetailCode);
        Assert.Contains("disk full", stored.DetailParams["err"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposedAfterHandledException_FailsAsAbandoned_NotWithTheException()
    {
        long id;
        await using (var task = await _client.Tasks.StartAsync("kimchi", "/plugins/kimchi/vms/h/clone").WithTimeout())
        {
            id = task.Id;
            try
            {
                await Task.Yield();
                throw new TaskFailedException("KCHVM0001E", new Dictionary<string, string> { ["vm"] = "h" }, "cache miss");
            }
            catch (TaskFailedException)
            {
                task.Log("cache miss handled, cloning without it");
            }
        }

        var stored = await _client.Tasks.GetTaskAsync(id).WithTimeout();
        Assert.Equal(TaskState.Failed, stored.State);
        Assert.Equal(new TaskScopeOptions().AbandonedDetailCode, stored.DetailCode);
        Assert.Equal("the task's scope ended without completing it", stored.DetailParams["err"]);
        Assert.False(stored.DetailParams.ContainsKey("vm"));
    }

    [Fact]
    public async Task DisposedAfterUnrecordedException_FailsAsAbandoned()
    {
        long id = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var task = await _client.Tasks.StartAsync("gingerbase", "/host/unrecorded").WithTimeout();
            id = task.Id;
            throw new InvalidOperationException("disk full");
        }).WithTimeout();

        var stored = await _client.Tasks.GetTaskAsync(id).WithTimeout();
        Assert.Equal(TaskState.Failed, stored.State);
        Assert.Equal(new TaskScopeOptions().AbandonedDetailCode, stored.DetailCode);
        Assert.Equal("the task's scope ended without completing it", stored.DetailParams["err"]);
    }

    [Fact]
    public async Task AThousandSequentialScopesInOneMethod_KeepNoScopeOrExceptionAlive()
    {
        // 2,000 writes in a few seconds: above the per-principal write rate this test is not about. A chain of
        // scopes would keep the first one alive whatever the count; a thousand shows it without minutes of CI.
        await using var server = await SdkHost.StartAsync([new("Limits:WritesPerSecondPerPrincipal", "0")]).WithTimeout();
        var client = server.CreateClient(TestTokens.AgentA);
        var options = new TaskScopeOptions { WatchForCancellation = false };
        WeakReference? firstScope = null;
        WeakReference? firstException = null;
        for (var i = 0; i < 1_000; i++)
        {
            await using var task = await client.Tasks.StartAsync("kimchi", $"/plugins/kimchi/vms/many-{i % 10}/clone", options).WithTimeout();
            firstScope ??= new WeakReference(task);
            try
            {
                throw new InvalidOperationException($"handled {i}");
            }
            catch (InvalidOperationException ex)
            {
                firstException ??= new WeakReference(ex);
            }
            await task.CompleteAsync().WithTimeout();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(firstScope!.IsAlive, "the first scope is still referenced after a thousand more");
        Assert.False(firstException!.IsAlive, "an exception handled in the first scope is still referenced");
        var last = await client.Tasks.GetLastTaskAsync("/plugins/kimchi/vms/many-9/clone").WithTimeout();
        Assert.Equal(TaskState.Succeeded, last.State);
    }

    [Fact]
    public async Task DisposedWithoutComplete_FailsAsAbandoned()
    {
        long id;
        await using (var task = await _client.Tasks.StartAsync("kimchi", "/plugins/kimchi/vms/c/clone").WithTimeout())
        {
            id = task.Id;
        }

        var stored = await _client.Tasks.GetTaskAsync(id).WithTimeout();
        Assert.Equal(TaskState.Failed, stored.State);
    }

    [Fact]
    public async Task CancelTask_FiresScopeToken_AndDisposalConfirmsCancellation()
    {
        var operatorClient = _server.CreateClient(TestTokens.MemberA);
        long id = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await using var task = await _client.Tasks.StartAsync("kimchi", "/plugins/kimchi/vms/d/clone").WithTimeout();
            id = task.Id;
            await operatorClient.Tasks.CancelTaskAsync(task.Id).WithTimeout();
            await Task.Delay(Timeout.Infinite, task.CancellationToken).WithTimeout();
        }).WithTimeout();

        var stored = await _client.Tasks.GetTaskAsync(id).WithTimeout();
        Assert.Equal(TaskState.Cancelled, stored.State);
    }

    [Fact]
    public async Task RunAsync_CompletesOnReturn_FailsOnThrow()
    {
        var ok = await _client.Tasks.RunAsync("kimchi", "/plugins/kimchi/vms/e/clone", (task, ct) =>
        {
            task.Log("working");
            return Task.CompletedTask;
        }).WithTimeout();
        Assert.Equal(TaskState.Succeeded, ok.State);

        await Assert.ThrowsAsync<TaskFailedException>(() => _client.Tasks.RunAsync("kimchi", "/plugins/kimchi/vms/f/clone",
            (task, ct) => throw new TaskFailedException("KCHVM0002E", new Dictionary<string, string> { ["name"] = "f" }))).WithTimeout();
        var failed = await _client.Tasks.GetLastTaskAsync("/plugins/kimchi/vms/f/clone").WithTimeout();
        Assert.Equal(TaskState.Failed, failed.State);
        Assert.Equal("KCHVM0002E", failed.DetailCode);
    }

    [Fact]
    public async Task ManyLines_AreBatchedAndStoredInOrder()
    {
        long id;
        await using (var task = await _client.Tasks.StartAsync("kimchi", "/plugins/kimchi/vms/g/clone", new TaskScopeOptions { MaxLinesPerBatch = 100 }).WithTimeout())
        {
            id = task.Id;
            for (var i = 1; i <= 1000; i++)
            {
                task.Log($"line {i}");
            }
            await task.CompleteAsync().WithTimeout();
        }

        var lines = await _client.Tasks.TailLogAsync(id).TakeAsync(2000);
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => $"line {i}"), lines.Select(l => l.Text));
    }

    [Fact]
    public async Task WatchState_SwallowsHeartbeats_ButSurfacesThemOnRequest()
    {
        var started = await _client.Tasks.StartTaskAsync(new StartTaskRequest { App = "kimchi", TargetUri = "/vms/heartbeat/clone" }).WithTimeout();
        var heartbeat = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new EventLogStreamOptions { OnHeartbeat = time => heartbeat.TrySetResult(time) };
        var snapshots = new List<AsyncTask>();
        using var stop = new CancellationTokenSource(TestTimeouts.Default);
        var watch = Task.Run(async () =>
        {
            await foreach (var task in _client.Tasks.WatchStateAsync(started.Task.Id, options, stop.Token))
            {
                snapshots.Add(task);
            }
        });

        var serverTime = await heartbeat.Task.WithTimeout();
        await _client.Tasks.CompleteTaskAsync(started.Task.Id).WithTimeout();
        await watch.WithTimeout();

        Assert.True(serverTime > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal([TaskState.Running, TaskState.Succeeded], snapshots.Select(t => t.State));
    }
}
