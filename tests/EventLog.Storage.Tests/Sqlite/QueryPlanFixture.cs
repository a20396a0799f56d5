using System.Text;
using EventLog.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace EventLog.Storage.Tests.Sqlite;

/// <summary>A database with at least two rows for every filter of QueryPlanTests, so every list issues a page token.</summary>
public sealed class QueryPlanFixture : IAsyncLifetime
{
    public const string Project = "plan";
    public const string Cluster = "plan-cluster";
    public const string Instance = "plan-instance";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

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
                MessageCode = "KCHVM0010L", RequestId = "req-1", Node = "n1",
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
                ResourceType = "VOLUME", ResourceUuid = "f00d", Host = "node", UserName = "alice",
            }).WaitAsync(Timeout);
        }

        var steps = await Provisioning.DeclarePlanAsync(Project, Cluster, ProvisioningStepType.Creating, [new PlannedStep("boot", 10), new PlannedStep("configure", 10)]).WaitAsync(Timeout);
        StepId = steps[0].Id;
        await Provisioning.AddEventsAsync(StepId, Enumerable.Range(0, 3).Select(i => new NewProvisioningEvent { NodeGroup = "workers", InstanceId = "vm-" + i, Node = "n1" }).ToList()).WaitAsync(Timeout);

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
