using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using EventLog.Storage.Internal;
using EventLog.Storage.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EventLog.Storage.Tests.Sqlite;

/// <summary>
/// Every list and cursor query is answered from an index that matches its filter and sort: no full table
/// scan, no temp B-tree for ORDER BY. The plans are of the exact SQL the repositories ran (captured through
/// <see cref="StorageDatabase.ReadObserver"/>), first page and a page after a token.
/// </summary>
public sealed partial class QueryPlanTests(QueryPlanTests.SeededSqliteFixture fixture, ITestOutputHelper output) : IClassFixture<QueryPlanTests.SeededSqliteFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly DateTime From = DateTime.UtcNow.AddDays(-1);
    private static readonly DateTime To = DateTime.UtcNow.AddDays(1);

    public static TheoryData<string> Scenarios => new(ScenarioTable().Keys);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task RepositoryQuery_UsesAnIndexForFilterAndSort(string scenario)
    {
        var (admin, run) = ScenarioTable()[scenario];
        var commands = await fixture.CaptureAsync(() => run(fixture));
        Assert.NotEmpty(commands);
        await using var conn = new SqliteConnection(fixture.ConnectionString);
        await conn.OpenAsync().WaitAsync(Timeout);
        foreach (var (sql, parameters) in commands)
        {
            var plan = (await conn.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + sql, parameters).WaitAsync(Timeout))
                .Select(r => r.Detail).ToList();
            var text = $"{string.Join(" | ", plan)}\n  for: {sql}";
            output.WriteLine(text);
            Assert.DoesNotContain(plan, p => p.Contains("TEMP B-TREE", StringComparison.Ordinal));
            foreach (var step in plan.Where(p => p.StartsWith("SCAN ", StringComparison.Ordinal) && p != "SCAN CONSTANT ROW"))
            {
                // A project-scoped query seeks; only all-project (admin) lists may walk a whole index in
                // sort order, stopping at the page size. A bare "SCAN table" reads the table itself.
                Assert.False(!admin, $"{scenario}: scans where it should seek: {text}");
                Assert.Matches(IndexScan(), step);
            }

            Assert.Contains(plan, p => p.Contains("INDEX", StringComparison.Ordinal) || p.Contains("PRIMARY KEY", StringComparison.Ordinal));
        }
    }

    // Filters are built from the fixture at run time (some name seeded ids); the names are the theory data.
    private static Dictionary<string, (bool Admin, Func<SeededSqliteFixture, Task> Run)> ScenarioTable()
    {
        const string P = SeededSqliteFixture.Project;
        var requests = new Dictionary<string, Func<SeededSqliteFixture, RequestLogFilter>>
        {
            ["project"] = f => new() { Project = P },
            ["project+app"] = f => new() { Project = P, App = "kimchi" },
            ["project+kind"] = f => new() { Project = P, Kind = "POST" },
            ["project+status"] = f => new() { Project = P, Status = 202 },
            ["project+user"] = f => new() { Project = P, UserName = "root" },
            ["project+ip"] = f => new() { Project = P, ClientIp = "10.0.0.1" },
            ["project+time"] = f => new() { Project = P, From = From, To = To },
            ["project+task"] = f => new() { Project = P, TaskId = f.TaskId },
            ["project+during-task"] = f => new() { Project = P, DuringTaskId = f.TaskId },
            ["project+request-id"] = f => new() { Project = P, RequestId = "req-1" },
            ["project+outcome"] = f => new() { Project = P, Outcome = RequestOutcome.Succeeded },
        };
        var adminRequests = new Dictionary<string, Func<SeededSqliteFixture, RequestLogFilter>>
        {
            ["all"] = f => new(),
            ["app"] = f => new() { App = "kimchi" },
            ["time"] = f => new() { From = From, To = To },
            ["task"] = f => new() { TaskId = f.TaskId },
            ["request-id"] = f => new() { RequestId = "req-1" },
        };
        var tasks = new Dictionary<string, Func<SeededSqliteFixture, TaskFilter>>
        {
            ["project"] = f => new() { Project = P },
            ["project+state"] = f => new() { Project = P, State = TaskState.Running },
            ["project+app"] = f => new() { Project = P, App = "kimchi" },
            ["project+target-prefix"] = f => new() { Project = P, TargetPrefix = "/plugins/kimchi/" },
            ["project+time"] = f => new() { Project = P, CreatedFrom = From, CreatedTo = To },
        };
        var adminTasks = new Dictionary<string, Func<SeededSqliteFixture, TaskFilter>> { ["all"] = _ => new(), ["state"] = _ => new() { State = TaskState.Running } };
        var messages = new Dictionary<string, Func<SeededSqliteFixture, MessageFilter>>
        {
            ["project"] = f => new() { Project = P },
            ["project+resource-type"] = f => new() { Project = P, ResourceType = "VOLUME" },
            ["project+resource-uuid"] = f => new() { Project = P, ResourceUuid = "f00d" },
            ["project+action"] = f => new() { Project = P, ActionCode = "001" },
            ["project+detail"] = f => new() { Project = P, DetailCode = "002" },
            ["project+level"] = f => new() { Project = P, Level = MessageLevel.Warning },
            ["project+request-id"] = f => new() { Project = P, RequestId = "req-1" },
            ["project+time"] = f => new() { Project = P, From = From, To = To },
        };
        var adminMessages = new Dictionary<string, Func<SeededSqliteFixture, MessageFilter>> { ["all"] = _ => new(), ["level"] = _ => new() { Level = MessageLevel.Warning } };

        var table = new Dictionary<string, (bool, Func<SeededSqliteFixture, Task>)>();
        foreach (var (name, filter) in requests)
        {
            table["requests " + name] = (false, f => TwoPages(t => f.TaskLog.ListRequestsAsync(filter(f), 1, t)));
            table["requests oldest-first " + name] = (false, f => TwoPages(t => f.TaskLog.ListRequestsAsync(filter(f) with { OldestFirst = true }, 1, t)));
            table["export " + name] = (false, f => f.TaskLog.ReadRequestsAfterAsync(filter(f), 1, 10));
        }

        foreach (var (name, filter) in adminRequests)
        {
            table["admin requests " + name] = (true, f => TwoPages(t => f.TaskLog.ListRequestsAsync(filter(f), 1, t)));
            table["admin requests oldest-first " + name] = (true, f => TwoPages(t => f.TaskLog.ListRequestsAsync(filter(f) with { OldestFirst = true }, 1, t)));
            table["admin export " + name] = (true, f => f.TaskLog.ReadRequestsAfterAsync(filter(f), 1, 10));
        }

        table["timeline project"] = (false, f => f.TaskLog.GetTimelineAsync(P, 10));
        table["admin timeline"] = (true, f => f.TaskLog.GetTimelineAsync(null, 10));
        foreach (var (name, filter) in tasks)
        {
            table["tasks " + name] = (false, f => TwoPages(t => f.TaskLog.ListTasksAsync(filter(f), 1, t)));
        }

        foreach (var (name, filter) in adminTasks)
        {
            table["admin tasks " + name] = (true, f => TwoPages(t => f.TaskLog.ListTasksAsync(filter(f), 1, t)));
        }

        table["task active of target"] = (false, f => f.TaskLog.GetActiveTaskAsync(P, "/plugins/kimchi/vms/a"));
        table["task last of target"] = (false, f => f.TaskLog.GetLastTaskAsync(P, "/plugins/kimchi/vms/a"));
        table["task lines"] = (false, f => f.TaskLog.ReadLinesAsync(f.TaskId, 1, 10));
        foreach (var (name, filter) in messages)
        {
            table["messages " + name] = (false, f => TwoPages(t => f.Messages.ListAsync(filter(f), 1, t)));
        }

        foreach (var (name, filter) in adminMessages)
        {
            table["admin messages " + name] = (true, f => TwoPages(t => f.Messages.ListAsync(filter(f), 1, t)));
        }

        table["message stream"] = (false, f => f.Messages.ReadStreamAsync(P, 1, 10));
        table["provisioning events"] = (false, f => TwoPages(t => f.Provisioning.ListEventsAsync(SeededSqliteFixture.Cluster, null, 1, t)));
        table["provisioning events of step"] = (false, f => TwoPages(t => f.Provisioning.ListEventsAsync(SeededSqliteFixture.Cluster, f.StepId, 1, t)));
        table["provisioning instance events"] = (false, f => TwoPages(t => f.Provisioning.ListInstanceEventsAsync(new ProvisioningEventFilter { ClusterId = SeededSqliteFixture.Cluster }, 1, t)));
        table["provisioning instance events filtered"] = (false, f => TwoPages(t => f.Provisioning.ListInstanceEventsAsync(
            new ProvisioningEventFilter { ClusterId = SeededSqliteFixture.Cluster, StepId = f.StepId, NodeGroup = "workers", Successful = true, From = From }, 1, t)));
        table["provisioning stream"] = (false, f => f.Provisioning.ReadClusterStreamAsync(SeededSqliteFixture.Cluster, 1, 10));
        table["provisioning progress"] = (false, f => f.Provisioning.GetProgressAsync(SeededSqliteFixture.Cluster));
        table["provisioning stalled steps"] = (true, f => f.Provisioning.GetStalledStepsAsync(To, 10));
        table["guest logs of instance"] = (false, f => f.GuestLogs.ListLogsAsync(SeededSqliteFixture.Instance));
        table["guest log chunks"] = (false, f => f.GuestLogs.ReadChunksAsync(f.LogId, 1, 10));
        table["guest log tail"] = (false, f => f.GuestLogs.GetTailAsync(SeededSqliteFixture.Instance, "guest", 2));
        return table;
    }

    // Page 1, then the page after its token: the keyset predicate changes the plan.
    private static async Task TwoPages<T>(Func<string?, Task<Page<T>>> list)
    {
        var first = await list(null).WaitAsync(Timeout);
        Assert.NotNull(first.NextPageToken);
        await list(first.NextPageToken).WaitAsync(Timeout);
    }

    [GeneratedRegex(@"^SCAN \w+ USING (COVERING )?INDEX \w+")]
    private static partial Regex IndexScan();

    /// <summary>A database with at least two rows for every filter above, so every list issues a page token.</summary>
    public sealed class SeededSqliteFixture : IAsyncLifetime
    {
        public const string Project = "plan";
        public const string Cluster = "plan-cluster";
        public const string Instance = "plan-instance";

        private readonly SqliteFixture _inner = new();
        private readonly Lock _gate = new();
        private List<(string Sql, object? Parameters)>? _captured;

        public string ConnectionString => ((SqliteStorageDatabase)_inner.Services.GetRequiredService<StorageDatabase>()).ConnectionString;
        public ITaskLogRepository TaskLog => _inner.Get<ITaskLogRepository>();
        public IMessageRepository Messages => _inner.Get<IMessageRepository>();
        public IProvisioningRepository Provisioning => _inner.Get<IProvisioningRepository>();
        public IGuestLogRepository GuestLogs => _inner.Get<IGuestLogRepository>();
        public long TaskId { get; private set; }
        public long StepId { get; private set; }
        public long LogId { get; private set; }

        public async Task<List<(string Sql, object? Parameters)>> CaptureAsync(Func<Task> run)
        {
            var database = _inner.Services.GetRequiredService<StorageDatabase>();
            lock (_gate)
            {
                _captured = [];
            }

            database.ReadObserver = (sql, parameters) =>
            {
                lock (_gate)
                {
                    _captured?.Add((sql, parameters));
                }
            };
            try
            {
                await run().WaitAsync(Timeout);
            }
            finally
            {
                database.ReadObserver = null;
            }

            lock (_gate)
            {
                var result = _captured!;
                _captured = null;
                return result;
            }
        }

        public async Task InitializeAsync()
        {
            await _inner.InitializeAsync();
            for (var i = 0; i < 3; i++)
            {
                await TaskLog.RecordRequestAsync(new NewRequestLogEntry
                {
                    Project = Project, Kind = "POST", App = "kimchi", UserName = "root", ClientIp = "10.0.0.1", Status = 202,
                    MessageCode = "KCHVM0010L", RequestId = "req-1",
                }).WaitAsync(Timeout);
            }

            var task = await TaskLog.StartTaskAsync(new StartTaskRequest { Project = Project, App = "kimchi", TargetUri = "/plugins/kimchi/vms/a", RequestId = "req-1" }).WaitAsync(Timeout);
            TaskId = task.Id;
            await TaskLog.AppendLinesAsync(task.Id, ["one", "two", "three"]).WaitAsync(Timeout);
            await TaskLog.RecordRequestAsync(new NewRequestLogEntry { Project = Project, Kind = "GET", App = "kimchi", UserName = "root", ClientIp = "10.0.0.1", Status = 200, MessageCode = "M", RequestId = "req-1" }).WaitAsync(Timeout);
            for (var i = 0; i < 2; i++)
            {
                var done = await TaskLog.StartTaskAsync(new StartTaskRequest { Project = Project, App = "kimchi", TargetUri = "/plugins/kimchi/vms/" + i }).WaitAsync(Timeout);
                await TaskLog.CompleteTaskAsync(done.Id).WaitAsync(Timeout);
                await TaskLog.StartTaskAsync(new StartTaskRequest { Project = Project, App = "kimchi", TargetUri = "/plugins/kimchi/vms/r" + i }).WaitAsync(Timeout);
            }

            for (var i = 0; i < 3; i++)
            {
                await Messages.CreateAsync(new NewUserMessage
                {
                    Project = Project, RequestId = "req-1", ActionCode = "001", DetailCode = "002", Level = MessageLevel.Warning,
                    ResourceType = "VOLUME", ResourceUuid = "f00d", Host = "node",
                }).WaitAsync(Timeout);
            }

            var steps = await Provisioning.DeclarePlanAsync(Project, Cluster, ProvisioningStepType.Creating, [new PlannedStep("boot", 10), new PlannedStep("configure", 10)]).WaitAsync(Timeout);
            StepId = steps[0].Id;
            await Provisioning.AddEventsAsync(StepId, Enumerable.Range(0, 3).Select(i => new NewProvisioningEvent { NodeGroup = "workers", InstanceId = "vm-" + i }).ToList()).WaitAsync(Timeout);

            foreach (var name in new[] { "guest", "general" })
            {
                var log = await GuestLogs.UpsertLogAsync(new GuestLogDefinition { InstanceId = Instance, LogName = name, Project = Project, LogType = GuestLogType.Sys, FileName = "/var/log/" + name, Datastore = "mysql" }).WaitAsync(Timeout);
                LogId = log.Id;
            }

            await GuestLogs.PublishAsync(new GuestLogPublish
            {
                InstanceId = Instance, LogName = "general", FileOffset = 0, FileSize = 1000, FirstLineHash = "h",
                Chunks = [new(Encoding.UTF8.GetBytes("a\nb\n"), 2), new(Encoding.UTF8.GetBytes("c\n"), 1)],
            }).WaitAsync(Timeout);
        }

        public Task DisposeAsync() => _inner.DisposeAsync();
    }
}
