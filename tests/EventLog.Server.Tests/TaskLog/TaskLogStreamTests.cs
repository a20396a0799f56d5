using EventLog.V1;
using static EventLog.Server.Tests.TaskLog.TaskLogTestKit;

namespace EventLog.Server.Tests.TaskLog;

public sealed class TaskLogStreamTests
{
    [Fact]
    public async Task TailFollow_ReceivesLinesAppendedAfterItStarted_AndEndsWhenTheTaskCompletes()
    {
        await using var kit = await StartAsync();
        var task = await kit.StartTaskAsync();
        await kit.AppendAsync(task.Id, 0, "line 1", "line 2");

        using var tail = kit.Reader.TailTaskLog(new TailTaskLogRequest { TaskId = task.Id, Follow = true }, deadline: Deadline);
        var received = new List<string>();
        var first = await NextAsync(tail.ResponseStream);
        Assert.NotNull(first);
        Assert.Equal(1, first.Lines.FirstLineNumber);
        received.AddRange(first.Lines.Lines);

        await kit.AppendAsync(task.Id, 0, "line 3");
        await kit.AppendAsync(task.Id, 0, "line 4", "line 5");
        while (received.Count < 5)
        {
            var next = await NextAsync(tail.ResponseStream);
            Assert.NotNull(next);
            if (next.UpdateCase == TailTaskLogResponse.UpdateOneofCase.Lines)
            {
                Assert.Equal(received.Count + 1, next.Lines.FirstLineNumber);
                received.AddRange(next.Lines.Lines);
                Assert.Equal(received.Count, next.Sequence);
            }
        }

        await kit.Agent.CompleteTaskAsync(new CompleteTaskRequest { TaskId = task.Id }, deadline: Deadline);
        TailTaskLogResponse? last;
        do
        {
            last = await NextAsync(tail.ResponseStream);
            Assert.NotNull(last);
        }
        while (last.UpdateCase == TailTaskLogResponse.UpdateOneofCase.Heartbeat);

        Assert.Equal(TaskState.Succeeded, last.TaskEnded.State);
        Assert.Equal(5, last.Sequence);
        Assert.Null(await NextAsync(tail.ResponseStream));
        Assert.Equal(["line 1", "line 2", "line 3", "line 4", "line 5"], received);
    }

    [Fact]
    public async Task Tail_ResumesAfterALine_WithoutGapOrDuplicate_AndSendsHeartbeatsWhenIdle()
    {
        await using var kit = await StartAsync(("TaskLog:TailBatchLines", "4"));
        var task = await kit.StartTaskAsync();
        await kit.AppendAsync(task.Id, 0, [.. Enumerable.Range(1, 10).Select(i => "l" + i)]);

        using var tail = kit.Reader.TailTaskLog(new TailTaskLogRequest { TaskId = task.Id, AfterLine = 3 }, deadline: Deadline);
        var lines = new List<string>();
        while (await NextAsync(tail.ResponseStream) is { } response)
        {
            Assert.Equal(lines.Count + 4, response.Lines.FirstLineNumber);
            lines.AddRange(response.Lines.Lines);
        }

        Assert.Equal(Enumerable.Range(4, 7).Select(i => "l" + i), lines);

        using var follow = kit.Reader.TailTaskLog(new TailTaskLogRequest { TaskId = task.Id, AfterLine = 10, Follow = true }, deadline: Deadline);
        var heartbeat = await NextAsync(follow.ResponseStream);
        Assert.NotNull(heartbeat);
        Assert.Equal(TailTaskLogResponse.UpdateOneofCase.Heartbeat, heartbeat.UpdateCase);
        Assert.Equal(10, heartbeat.Sequence);
    }

    [Fact]
    public async Task AppendTaskLog_ResentBatchIsSkipped_GapIsFailedPrecondition_OversizeIsResourceExhausted()
    {
        await using var kit = await StartAsync(("TaskLog:MaxAppendBatchLines", "100"), ("TaskLog:MaxAppendBatchBytes", "1000"));
        var task = await kit.StartTaskAsync();
        var first = await kit.AppendAsync(task.Id, 1, "a", "b", "c");
        Assert.Equal(3, first.LinesAppended);
        var resent = await kit.AppendAsync(task.Id, 2, "b", "c", "d");
        Assert.Equal(1, resent.LinesAppended);
        Assert.Equal(4, resent.LineCount);

        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => kit.AppendAsync(task.Id, 9, "gap"));
        await RpcAssert.ThrowsAsync(StatusCode.ResourceExhausted, () => kit.AppendAsync(task.Id, 0, [.. Enumerable.Repeat("x", 101)]));
        await RpcAssert.ThrowsAsync(StatusCode.ResourceExhausted, () => kit.AppendAsync(task.Id, 0, new string('y', 1001)));
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => kit.AppendAsync(987654, 0, "nobody"));
        await RpcAssert.InvalidArgumentAsync("task_id", () => kit.AppendAsync(0, 0, "no task"));

        // The server may end the call before the client has completed its side, so the writes are part of what fails.
        await RpcAssert.InvalidArgumentAsync("task_id", async () =>
        {
            using var call = kit.Agent.AppendTaskLog(deadline: Deadline);
            var batch = new AppendTaskLogRequest { TaskId = task.Id };
            batch.Lines.Add("ok");
            await call.RequestStream.WriteAsync(batch).WaitAsync(CallTimeout);
            await call.RequestStream.WriteAsync(new AppendTaskLogRequest { TaskId = task.Id + 1, Lines = { "other" } }).WaitAsync(CallTimeout);
            await call.RequestStream.CompleteAsync().WaitAsync(CallTimeout);
            await call.ResponseAsync.WaitAsync(CallTimeout);
        });

        await kit.Agent.CompleteTaskAsync(new CompleteTaskRequest { TaskId = task.Id }, deadline: Deadline);
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => kit.AppendAsync(task.Id, 0, "late"));
        var read = await kit.Reader.GetTaskAsync(new GetTaskRequest { TaskId = task.Id }, deadline: Deadline);
        Assert.Equal(5, read.Task.LineCount);
    }

    [Fact]
    public async Task WatchTaskState_WorkerLearnsOfCancelAtOnce_ConfirmsAndTheStreamEnds()
    {
        await using var kit = await StartAsync();
        var task = await kit.StartTaskAsync();
        using var watch = kit.Agent.WatchTaskState(new WatchTaskStateRequest { TaskId = task.Id }, deadline: Deadline);
        var snapshot = await NextAsync(watch.ResponseStream);
        Assert.NotNull(snapshot);
        Assert.False(snapshot.Task.CancelRequested);
        Assert.Equal(snapshot.Task.Version, snapshot.Sequence);

        var heartbeat = await NextAsync(watch.ResponseStream);
        Assert.NotNull(heartbeat);
        Assert.Equal(WatchTaskStateResponse.UpdateOneofCase.Heartbeat, heartbeat.UpdateCase);
        Assert.Equal(snapshot.Sequence, heartbeat.Sequence);

        await kit.Member.CancelTaskAsync(new CancelTaskRequest { TaskId = task.Id }, deadline: Deadline);
        var cancelRequested = await NextTaskAsync(watch.ResponseStream);
        Assert.True(cancelRequested.Task.CancelRequested);
        Assert.Equal(TaskState.Running, cancelRequested.Task.State);

        var confirmed = await kit.Agent.ConfirmTaskCancelledAsync(new ConfirmTaskCancelledRequest { TaskId = task.Id }, deadline: Deadline);
        Assert.Equal(1003, confirmed.Entry.Status);
        var final = await NextTaskAsync(watch.ResponseStream);
        Assert.Equal(TaskState.Cancelled, final.Task.State);
        Assert.Null(await NextAsync(watch.ResponseStream));

        // Resuming from an older sequence sends the final state, then the stream ends.
        using var resumed = kit.Reader.WatchTaskState(new WatchTaskStateRequest { TaskId = task.Id, AfterSequence = cancelRequested.Sequence }, deadline: Deadline);
        var resumedFinal = await NextTaskAsync(resumed.ResponseStream);
        Assert.Equal((TaskState.Cancelled, final.Sequence), (resumedFinal.Task.State, resumedFinal.Sequence));
        Assert.Null(await NextAsync(resumed.ResponseStream));

        // Resuming from the final sequence of a finished task sends nothing at all (not even a heartbeat) and ends.
        using var caughtUp = kit.Reader.WatchTaskState(new WatchTaskStateRequest { TaskId = task.Id, AfterSequence = final.Sequence }, deadline: Deadline);
        Assert.Null(await NextAsync(caughtUp.ResponseStream));
        Assert.Equal(StatusCode.OK, caughtUp.GetStatus().StatusCode);

        var spawned = await kit.Reader.ListRequestsAsync(new ListRequestsRequest { Filter = new RequestFilter { TaskId = task.Id, Status = 1003 } }, deadline: Deadline);
        Assert.Equal(RequestOutcome.Cancelled, Assert.Single(spawned.Entries).Outcome);
    }

    [Fact]
    public async Task Streams_EndCleanlyWhenTheClientCancels()
    {
        await using var kit = await StartAsync();
        var task = await kit.StartTaskAsync();
        using var cts = new CancellationTokenSource();
        using var tail = kit.Reader.TailTaskLog(new TailTaskLogRequest { TaskId = task.Id, Follow = true }, cancellationToken: cts.Token);
        Assert.NotNull(await NextAsync(tail.ResponseStream));
        await cts.CancelAsync();
        await RpcAssert.ThrowsAsync(StatusCode.Cancelled, () => tail.ResponseStream.MoveNext(CancellationToken.None));

        // The server is still healthy and the task still usable.
        await kit.AppendAsync(task.Id, 0, "after cancel");
        Assert.Equal(1, (await kit.Reader.GetTaskAsync(new GetTaskRequest { TaskId = task.Id }, deadline: Deadline)).Task.LineCount);
    }

    private static async Task<WatchTaskStateResponse> NextTaskAsync(IAsyncStreamReader<WatchTaskStateResponse> stream)
    {
        while (true)
        {
            var next = await NextAsync(stream);
            Assert.NotNull(next);
            if (next.UpdateCase == WatchTaskStateResponse.UpdateOneofCase.Task)
            {
                return next;
            }
        }
    }
}
