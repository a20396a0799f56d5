using System.Text.Json;

namespace EventLog.Storage.Tests.Contract;

public abstract class TaskLogContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StorageFixture
{
    private ITaskLogRepository Repo => Get<ITaskLogRepository>();

    [SkippableFact]
    public async Task StartTask_WritesTask1000EntryLinkedToSpawningRequest()
    {
        var project = Unique("p");
        var spawn = await Repo.RecordRequestAsync(new NewRequestLogEntry
        {
            Project = project, Kind = "POST", App = "kimchi", UserName = "root", ClientIp = "10.0.0.1", Status = 202,
            MessageCode = "KCHVM0010L", MessageParams = """{"vm":"name"}""", RequestId = "req-7", Zone = "BRT",
        }).WaitAsync(Timeout);
        var task = await Repo.StartTaskAsync(new StartTaskRequest
        {
            Project = project, App = "kimchi", TargetUri = "/plugins/kimchi/vms/name/clone", RequestId = "req-7", SpawningEntryId = spawn.Id, Zone = "BRT",
        }).WaitAsync(Timeout);

        Assert.Equal(TaskState.Running, task.State);
        Assert.NotNull(task.StartedAt);
        Assert.Equal(task.Id, (await Repo.GetRequestAsync(spawn.Id).WaitAsync(Timeout))!.TaskId);

        var failed = await Repo.FailTaskAsync(task.Id, "KCHVM0001E", """{"vm":"name"}""").WaitAsync(Timeout);
        Assert.Equal(TaskState.Failed, failed.State);
        Assert.NotNull(failed.FinishedAt);
        Assert.Equal("KCHVM0001E", failed.DetailCode);

        var linked = await Repo.ListRequestsAsync(new RequestLogFilter { Project = project, TaskId = task.Id }, 10, null).WaitAsync(Timeout);
        Assert.Equal([TaskStatusCodes.Failed, TaskStatusCodes.Started, 202], linked.Items.Select(e => e.Status));
        var failure = linked.Items[0];
        Assert.Equal("TASK", failure.Kind);
        Assert.Equal("KCHVM0001E", failure.DetailCode);
        Assert.Equal("req-7", failure.RequestId);
        using var json = JsonDocument.Parse(failure.MessageParams);
        Assert.Equal(task.Id, json.RootElement.GetProperty("task_id").GetInt64());
        Assert.Equal(task.TargetUri, json.RootElement.GetProperty("target_uri").GetString());
    }

    [SkippableFact]
    public async Task CompleteTask_Twice_IsNoOp_ButFailAfterComplete_IsPreconditionFailed()
    {
        var task = await Repo.StartTaskAsync(new StartTaskRequest { Project = Unique("p"), App = "a", TargetUri = "/t" }).WaitAsync(Timeout);
        var done = await Repo.CompleteTaskAsync(task.Id).WaitAsync(Timeout);
        Assert.Equal(TaskState.Succeeded, done.State);
        Assert.Equal(100, done.ProgressPercent);
        Assert.Equal(done, await Repo.CompleteTaskAsync(task.Id).WaitAsync(Timeout));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Repo.FailTaskAsync(task.Id, "X", null)).WaitAsync(Timeout);
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Repo.AppendLinesAsync(task.Id, ["late"])).WaitAsync(Timeout);
        await Assert.ThrowsAsync<NotFoundException>(() => Repo.CompleteTaskAsync(long.MaxValue)).WaitAsync(Timeout);
    }

    [SkippableFact]
    public async Task Cancel_RequestWakesWatcherOfTaskState_ThenConfirm()
    {
        var task = await Repo.StartTaskAsync(new StartTaskRequest { Project = Unique("p"), App = "a", TargetUri = "/t" }).WaitAsync(Timeout);
        var notifier = Get<IChangeNotifier>();
        var position = await notifier.GetLastSequenceAsync(StreamKeys.TaskState(task.Id)).WaitAsync(Timeout);
        var watch = notifier.WaitForChangeAsync(StreamKeys.TaskState(task.Id), position);
        var requested = await Repo.RequestCancelAsync(task.Id).WaitAsync(Timeout);
        Assert.True(requested.CancelRequested);
        await watch.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True((await Repo.GetTaskAsync(task.Id).WaitAsync(Timeout))!.CancelRequested);
        var cancelled = await Repo.ConfirmCancelAsync(task.Id).WaitAsync(Timeout);
        Assert.Equal(TaskState.Cancelled, cancelled.State);
    }

    [SkippableFact]
    public async Task ActiveAndLastTaskOfTarget()
    {
        var project = Unique("p");
        var first = await Repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "a", TargetUri = "/cluster/provision" }).WaitAsync(Timeout);
        await Repo.CompleteTaskAsync(first.Id).WaitAsync(Timeout);
        var second = await Repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "a", TargetUri = "/cluster/provision" }).WaitAsync(Timeout);
        await Repo.ReportProgressAsync(second.Id, 40, "half way").WaitAsync(Timeout);

        var active = await Repo.GetActiveTaskAsync(project, "/cluster/provision").WaitAsync(Timeout);
        Assert.Equal(second.Id, active!.Id);
        Assert.Equal(40, active.ProgressPercent);
        Assert.Equal("half way", active.ProgressMessage);
        Assert.Equal(first.Id, (await Repo.GetLastTaskAsync(project, "/cluster/provision").WaitAsync(Timeout))!.Id);
        Assert.Null(await Repo.GetActiveTaskAsync(project, "/other").WaitAsync(Timeout));
    }

    [SkippableFact]
    public async Task ActiveAndLastTaskOfAnApp_AreFoundBehindNewerTasksOfOtherApps()
    {
        var project = Unique("p");
        var done = await Repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "kimchi", TargetUri = "/vms/a" }).WaitAsync(Timeout);
        await Repo.CompleteTaskAsync(done.Id).WaitAsync(Timeout);
        var running = await Repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "kimchi", TargetUri = "/vms/a" }).WaitAsync(Timeout);
        var otherDone = await Repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "ginger", TargetUri = "/vms/a" }).WaitAsync(Timeout);
        await Repo.CompleteTaskAsync(otherDone.Id).WaitAsync(Timeout);
        await Repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "ginger", TargetUri = "/vms/a" }).WaitAsync(Timeout);

        Assert.Equal(running.Id, (await Repo.GetActiveTaskAsync(project, "/vms/a", "kimchi").WaitAsync(Timeout))!.Id);
        Assert.Equal(done.Id, (await Repo.GetLastTaskAsync(project, "/vms/a", "kimchi").WaitAsync(Timeout))!.Id);
        Assert.Equal(otherDone.Id, (await Repo.GetLastTaskAsync(project, "/vms/a").WaitAsync(Timeout))!.Id);
        Assert.Null(await Repo.GetActiveTaskAsync(project, "/vms/a", "nova").WaitAsync(Timeout));
    }

    [SkippableFact]
    public async Task ListTasks_FiltersByStateAppAndTargetPrefix()
    {
        var project = Unique("p");
        var a = await Repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "kimchi", TargetUri = "/plugins/kimchi/vms/a" }).WaitAsync(Timeout);
        var b = await Repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "kimchi", TargetUri = "/plugins/kimchi/vms/b" }).WaitAsync(Timeout);
        var c = await Repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "ginger", TargetUri = "/plugins/ginger/sw_%" }).WaitAsync(Timeout);
        await Repo.CompleteTaskAsync(b.Id).WaitAsync(Timeout);

        async Task<long[]> Ids(TaskFilter f) => (await Repo.ListTasksAsync(f, 50, null).WaitAsync(Timeout)).Items.Select(t => t.Id).ToArray();
        Assert.Equal([c.Id, b.Id, a.Id], await Ids(new TaskFilter { Project = project }));
        Assert.Equal([b.Id, a.Id], await Ids(new TaskFilter { Project = project, App = "kimchi" }));
        Assert.Equal([c.Id, a.Id], await Ids(new TaskFilter { Project = project, State = TaskState.Running }));
        Assert.Equal([b.Id, a.Id], await Ids(new TaskFilter { Project = project, TargetPrefix = "/plugins/kimchi/" }));
        Assert.Equal([c.Id], await Ids(new TaskFilter { Project = project, TargetPrefix = "/plugins/ginger/sw_%" }));
        Assert.Empty(await Ids(new TaskFilter { Project = project, TargetPrefix = "/plugins/ginger/sw_x" }));
    }

    [SkippableFact]
    public async Task ListTasks_TargetPrefix_MatchesCharactersAboveU_FFFF_AndIsCaseSensitive()
    {
        var project = Unique("p");
        var smile = await Repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "a", TargetUri = "/vms/\U0001F600-web" }).WaitAsync(Timeout);
        var rocket = await Repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "a", TargetUri = "/vms/\U0001F680" }).WaitAsync(Timeout);
        var bmpMax = await Repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "a", TargetUri = "/vms/\uFFFF" }).WaitAsync(Timeout);
        var plain = await Repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "a", TargetUri = "/vms/db" }).WaitAsync(Timeout);
        var upper = await Repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "a", TargetUri = "/VMS/db" }).WaitAsync(Timeout);
        var next = await Repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "a", TargetUri = "/vmt" }).WaitAsync(Timeout);

        async Task<long[]> Ids(string prefix) =>
            (await Repo.ListTasksAsync(new TaskFilter { Project = project, TargetPrefix = prefix }, 50, null).WaitAsync(Timeout)).Items.Select(t => t.Id).ToArray();
        Assert.Equal([plain.Id, bmpMax.Id, rocket.Id, smile.Id], await Ids("/vms/"));
        Assert.Equal([smile.Id], await Ids("/vms/\U0001F600"));
        Assert.Equal([rocket.Id], await Ids("/vms/\U0001F680"));
        Assert.Equal([bmpMax.Id], await Ids("/vms/\uFFFF"));
        Assert.Equal([upper.Id], await Ids("/VMS/"));
        Assert.Equal([next.Id, plain.Id, bmpMax.Id, rocket.Id, smile.Id], await Ids("/vm"));
    }

    [SkippableFact]
    public async Task ListRequests_DuringTask_ReturnsRequestsWhileItRan()
    {
        var project = Unique("p");
        var before = await Record(project, "GET", DateTime.UtcNow.AddMinutes(-10));
        var task = await Repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "a", TargetUri = "/t" }).WaitAsync(Timeout);
        var during = await Record(project, "PUT", null);
        await Repo.CompleteTaskAsync(task.Id).WaitAsync(Timeout);
        var after = await Record(project, "DELETE", DateTime.UtcNow.AddMinutes(10));

        var page = await Repo.ListRequestsAsync(new RequestLogFilter { Project = project, DuringTaskId = task.Id }, 50, null).WaitAsync(Timeout);
        var ids = page.Items.Select(e => e.Id).ToList();
        Assert.Contains(during.Id, ids);
        Assert.DoesNotContain(before.Id, ids);
        Assert.DoesNotContain(after.Id, ids);

        var byUser = await Repo.ListRequestsAsync(new RequestLogFilter { Project = project, UserName = "bob", ClientIp = "10.1.1.1", Kind = "PUT", Status = 200 }, 50, null).WaitAsync(Timeout);
        Assert.Equal([during.Id], byUser.Items.Select(e => e.Id));

        var timeline = await Repo.GetTimelineAsync(project, 2).WaitAsync(Timeout);
        Assert.Equal(after.Id, timeline[0].Id);
        Assert.Equal(2, timeline.Count);
    }

    [SkippableFact]
    public async Task ReadLines_ByCursor_ReturnsBatchesInOrder()
    {
        var task = await Repo.StartTaskAsync(new StartTaskRequest { Project = Unique("p"), App = "a", TargetUri = "/t" }).WaitAsync(Timeout);
        var r1 = await Repo.AppendLinesAsync(task.Id, Enumerable.Range(1, 250).Select(i => "line " + i).ToList()).WaitAsync(Timeout);
        var r2 = await Repo.AppendLinesAsync(task.Id, ["tail"]).WaitAsync(Timeout);
        Assert.Equal(new LineRange(1, 250), r1);
        Assert.Equal(new LineRange(251, 251), r2);
        var batch = await Repo.ReadLinesAsync(task.Id, 100, 100).WaitAsync(Timeout);
        Assert.Equal(Enumerable.Range(101, 100).Select(i => (long)i), batch.Items.Select(l => l.LineNo));
        Assert.Equal("line 101", batch.Items[0].Text);
        Assert.Equal(1, batch.OldestAvailableSequence);
        Assert.Equal("tail", (await Repo.ReadLinesAsync(task.Id, 250, 100).WaitAsync(Timeout)).Items.Single().Text);
        // The follower's read (no oldest-line lookup) returns the same rows.
        Assert.Equal(batch.Items, await Repo.ReadNewLinesAsync(task.Id, 100, 100).WaitAsync(Timeout));
        Assert.Equal("tail", (await Repo.ReadNewLinesAsync(task.Id, 250, 100).WaitAsync(Timeout)).Single().Text);
        Assert.Empty(await Repo.ReadNewLinesAsync(task.Id, 251, 100).WaitAsync(Timeout));
    }

    [SkippableFact]
    public async Task AppendLinesAt_ResentBatchSkipped_GapRejected()
    {
        var task = await Repo.StartTaskAsync(new StartTaskRequest { Project = Unique("p"), App = "a", TargetUri = "/t" }).WaitAsync(Timeout);
        Assert.Equal(new LineRange(1, 3), await Repo.AppendLinesAtAsync(task.Id, 1, ["a", "b", "c"]).WaitAsync(Timeout));
        Assert.Equal(new LineRange(4, 3), await Repo.AppendLinesAtAsync(task.Id, 1, ["a", "b", "c"]).WaitAsync(Timeout));
        Assert.Equal(new LineRange(4, 5), await Repo.AppendLinesAtAsync(task.Id, 3, ["c", "d", "e"]).WaitAsync(Timeout));
        Assert.Equal(new LineRange(6, 6), await Repo.AppendLinesAtAsync(task.Id, 0, ["f"]).WaitAsync(Timeout));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Repo.AppendLinesAtAsync(task.Id, 9, ["x"])).WaitAsync(Timeout);
        var lines = await Repo.ReadLinesAsync(task.Id, 0, 100).WaitAsync(Timeout);
        Assert.Equal(["a", "b", "c", "d", "e", "f"], lines.Items.Select(l => l.Text));
    }

    [SkippableFact]
    public async Task AppendLinesAt_TaskOfAnotherProject_NotFoundAndNothingStored()
    {
        var project = Unique("p");
        var task = await Repo.StartTaskAsync(new StartTaskRequest { Project = project, App = "a", TargetUri = "/t" }).WaitAsync(Timeout);
        await Assert.ThrowsAsync<NotFoundException>(() => Repo.AppendLinesAtAsync(task.Id, 1, ["a"], Unique("other"))).WaitAsync(Timeout);
        await Assert.ThrowsAsync<NotFoundException>(() => Repo.AppendLinesAtAsync(task.Id + 1_000_000, 1, ["a"], project)).WaitAsync(Timeout);
        Assert.Empty((await Repo.ReadLinesAsync(task.Id, 0, 100).WaitAsync(Timeout)).Items);
        Assert.Equal(new LineRange(1, 1), await Repo.AppendLinesAtAsync(task.Id, 1, ["a"], project).WaitAsync(Timeout));
    }

    [SkippableFact]
    public async Task ReadRequestsAfter_ReturnsFilteredEntriesOldestFirstByCursor()
    {
        var project = Unique("p");
        var entries = new List<RequestLogEntry>();
        for (var i = 0; i < 7; i++)
        {
            entries.Add(await Record(project, i % 2 == 0 ? "GET" : "POST", null));
        }

        var first = await Repo.ReadRequestsAfterAsync(new RequestLogFilter { Project = project, Kind = "GET" }, 0, 2).WaitAsync(Timeout);
        Assert.Equal([entries[0].Id, entries[2].Id], first.Select(e => e.Id));
        var rest = await Repo.ReadRequestsAfterAsync(new RequestLogFilter { Project = project, Kind = "GET" }, first[^1].Id, 10).WaitAsync(Timeout);
        Assert.Equal([entries[4].Id, entries[6].Id], rest.Select(e => e.Id));
    }

    [SkippableFact]
    public async Task NodeFilter_ListsOneNodesEntriesInTimeOrder_PagedAndInTheTimeline()
    {
        var project = Unique("p");
        var start = DateTime.UtcNow.AddHours(-1);
        var n1 = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            // Recorded out of time order, interleaved with another node's and a node-less entry.
            var at = start.AddMinutes(i % 2 == 0 ? 10 - i : 20 + i);
            n1.Add((await RecordOn(project, "n1", at)).Id);
            await RecordOn(project, "n2", at.AddSeconds(1));
            await RecordOn(project, null, at.AddSeconds(2));
        }

        var stored = new List<RequestLogEntry>();
        string? token = null;
        do
        {
            var page = await Repo.ListRequestsAsync(new RequestLogFilter { Project = project, Node = "n1" }, 2, token).WaitAsync(Timeout);
            Assert.InRange(page.Items.Count, 1, 2);
            stored.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.Equal(n1.Order(), stored.Select(e => e.Id).Order());
        Assert.All(stored, e => Assert.Equal("n1", e.Node));
        Assert.Equal(stored.OrderByDescending(e => e.OccurredAt).Select(e => e.Id), stored.Select(e => e.Id));

        var timeline = await Repo.GetTimelineAsync(project, 3, "n2").WaitAsync(Timeout);
        Assert.Equal(3, timeline.Count);
        Assert.All(timeline, e => Assert.Equal("n2", e.Node));
        Assert.Equal(timeline.OrderByDescending(e => e.OccurredAt).Select(e => e.Id), timeline.Select(e => e.Id));
        Assert.Empty(await Repo.GetTimelineAsync(Unique("other"), 3, "n2").WaitAsync(Timeout));
        Assert.Equal(15, (await Repo.GetTimelineAsync(project, 50, null).WaitAsync(Timeout)).Count);
    }

    private Task<RequestLogEntry> RecordOn(string project, string? node, DateTime at) =>
        Repo.RecordRequestAsync(new NewRequestLogEntry { Project = project, Kind = "GET", App = "a", MessageCode = "M", OccurredAt = at, Status = 200, Node = node }).WaitAsync(Timeout);

    private Task<RequestLogEntry> Record(string project, string kind, DateTime? at) =>
        Repo.RecordRequestAsync(new NewRequestLogEntry
        {
            Project = project, Kind = kind, App = "a", MessageCode = "M", OccurredAt = at, UserName = "bob", ClientIp = "10.1.1.1", Status = 200,
        }).WaitAsync(Timeout);
}

public sealed class SqliteTaskLogTests(SqliteFixture fixture) : TaskLogContractTests<SqliteFixture>(fixture);

public sealed class SqlServerTaskLogTests(SqlServerFixture fixture) : TaskLogContractTests<SqlServerFixture>(fixture);

public sealed class PostgreSqlTaskLogTests(PostgreSqlFixture fixture) : TaskLogContractTests<PostgreSqlFixture>(fixture);
