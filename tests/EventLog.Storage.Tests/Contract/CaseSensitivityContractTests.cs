
namespace EventLog.Storage.Tests.Contract;

/// <summary>
/// Keys compare exactly on every engine: "Acme" and "acme" are two tenants, two streams, two idempotency
/// keys. SQL Server's default collation is case-insensitive; migration 0003 makes these columns binary.
/// </summary>
public abstract class CaseSensitivityContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StorageFixture
{
    [SkippableFact]
    public async Task Projects_DifferingOnlyInCase_AreSeparateTenantsAndStreams()
    {
        var messages = Get<IMessageRepository>();
        var suffix = Unique("");
        string upper = "Acme" + suffix, lower = "acme" + suffix;
        var a = await messages.CreateAsync(new NewUserMessage { Project = upper, ActionCode = "A", DetailCode = "D" }).WaitAsync(Timeout);
        var b = await messages.CreateAsync(new NewUserMessage { Project = lower, ActionCode = "A", DetailCode = "D" }).WaitAsync(Timeout);
        Assert.Equal((1L, 1L), (a.Seq, b.Seq));
        Assert.Equal([a.Id], (await messages.ListAsync(new MessageFilter { Project = upper }, 10, null).WaitAsync(Timeout)).Items.Select(m => m.Id));
        Assert.Equal([b.Id], (await messages.ListAsync(new MessageFilter { Project = lower }, 10, null).WaitAsync(Timeout)).Items.Select(m => m.Id));
        Assert.Equal([b.Id], (await messages.ReadStreamAsync(lower, 0, 10).WaitAsync(Timeout)).Items.Select(m => m.Id));
        Assert.False(await messages.DeleteAsync(a.Id, lower).WaitAsync(Timeout));
        Assert.Equal(1, await Get<IChangeNotifier>().GetLastSequenceAsync(StreamKeys.Messages(upper)).WaitAsync(Timeout));

        var tasks = Get<ITaskLogRepository>();
        var t1 = await tasks.StartTaskAsync(new StartTaskRequest { Project = upper, App = "a", TargetUri = "/vms/Web" }).WaitAsync(Timeout);
        var t2 = await tasks.StartTaskAsync(new StartTaskRequest { Project = lower, App = "a", TargetUri = "/vms/web" }).WaitAsync(Timeout);
        Assert.Equal([t1.Id], (await tasks.ListTasksAsync(new TaskFilter { Project = upper }, 10, null).WaitAsync(Timeout)).Items.Select(t => t.Id));
        Assert.Null(await tasks.GetActiveTaskAsync(upper, "/vms/web").WaitAsync(Timeout));
        Assert.Equal(t2.Id, (await tasks.GetActiveTaskAsync(lower, "/vms/web").WaitAsync(Timeout))!.Id);
        var entries = await tasks.ListRequestsAsync(new RequestLogFilter { Project = lower }, 10, null).WaitAsync(Timeout);
        Assert.Equal([t2.Id], entries.Items.Select(e => e.TaskId!.Value));
    }

    [SkippableFact]
    public async Task IdempotencyKeys_DifferingOnlyInCase_AreDifferentRequests()
    {
        var messages = Get<IMessageRepository>();
        var project = Unique("p");
        var first = await messages.CreateAsync(new NewUserMessage { Project = project, ActionCode = "A", DetailCode = "D", IdempotencyKey = "Req-1" }).WaitAsync(Timeout);
        var second = await messages.CreateAsync(new NewUserMessage { Project = project, ActionCode = "A", DetailCode = "D", IdempotencyKey = "req-1" }).WaitAsync(Timeout);
        var retry = await messages.CreateAsync(new NewUserMessage { Project = project, ActionCode = "A", DetailCode = "D", IdempotencyKey = "Req-1" }).WaitAsync(Timeout);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(first.Id, retry.Id);

        var tasks = Get<ITaskLogRepository>();
        var spawning = await tasks.RecordRequestAsync(new NewRequestLogEntry { Project = project, Kind = "POST", App = "a", MessageCode = "M", RequestId = "Op-7" }).WaitAsync(Timeout);
        var task = await tasks.StartTaskAsync(new StartTaskRequest { Project = project, App = "a", TargetUri = "/t", RequestId = "op-7" }).WaitAsync(Timeout);
        Assert.Null((await tasks.GetRequestAsync(spawning.Id).WaitAsync(Timeout))!.TaskId);
        Assert.Equal([spawning.Id], (await tasks.ListRequestsAsync(new RequestLogFilter { Project = project, RequestId = "Op-7" }, 10, null).WaitAsync(Timeout)).Items.Select(e => e.Id));
        var taskEntry = Assert.Single((await tasks.ListRequestsAsync(new RequestLogFilter { Project = project, RequestId = "op-7" }, 10, null).WaitAsync(Timeout)).Items);
        Assert.Equal((TaskStatusCodes.TaskKind, task.Id), (taskEntry.Kind, taskEntry.TaskId));
    }

    [SkippableFact]
    public async Task ClustersAndGuestLogs_DifferingOnlyInCase_AreSeparate()
    {
        var provisioning = Get<IProvisioningRepository>();
        var cluster = Unique("c");
        var upper = await provisioning.DeclarePlanAsync("p", cluster.ToUpperInvariant(), ProvisioningStepType.Creating, [new PlannedStep("s", 1)]).WaitAsync(Timeout);
        var lower = await provisioning.DeclarePlanAsync("p", cluster, ProvisioningStepType.Creating, [new PlannedStep("s", 1)]).WaitAsync(Timeout);
        Assert.Equal((1, 1), (upper[0].Ordinal, lower[0].Ordinal));
        Assert.Single((await provisioning.GetProgressAsync(cluster).WaitAsync(Timeout))!.Steps);

        var guestLogs = Get<IGuestLogRepository>();
        var instance = Unique("i");
        var definition = new GuestLogDefinition { InstanceId = instance, LogName = "Error", Project = "p", LogType = GuestLogType.Sys, FileName = "/var/log/e", Datastore = "mysql" };
        var a = await guestLogs.UpsertLogAsync(definition).WaitAsync(Timeout);
        var b = await guestLogs.UpsertLogAsync(definition with { LogName = "error" }).WaitAsync(Timeout);
        var c = await guestLogs.UpsertLogAsync(definition with { InstanceId = instance.ToUpperInvariant() }).WaitAsync(Timeout);
        Assert.Equal(3, new[] { a.Id, b.Id, c.Id }.Distinct().Count());
        Assert.Equal(["Error", "error"], (await guestLogs.ListLogsAsync(instance).WaitAsync(Timeout)).Select(l => l.LogName));
    }
}

public sealed class SqliteCaseSensitivityTests(SqliteFixture fixture) : CaseSensitivityContractTests<SqliteFixture>(fixture);

public sealed class SqlServerCaseSensitivityTests(SqlServerFixture fixture) : CaseSensitivityContractTests<SqlServerFixture>(fixture);

public sealed class PostgreSqlCaseSensitivityTests(PostgreSqlFixture fixture) : CaseSensitivityContractTests<PostgreSqlFixture>(fixture);
