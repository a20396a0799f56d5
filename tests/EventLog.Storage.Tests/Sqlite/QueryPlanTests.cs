using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EventLog.Storage.Tests.Sqlite;

/// <summary>
/// Every list and cursor query is answered from an index that matches its filter and sort: no full table
/// scan, no temp B-tree for ORDER BY. The plans are of the exact SQL the repositories ran (captured through
/// <see cref="StorageDatabase.ReadObserver"/>), first page and a page after a token.
/// </summary>
public sealed partial class QueryPlanTests(QueryPlanFixture fixture, ITestOutputHelper output) : IClassFixture<QueryPlanFixture>
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
            if (ExpectedIndex(scenario) is { } index)
            {
                // Also on the second page, where the cursor adds a second time bound.
                Assert.True(plan[0].Contains($"INDEX {index} ", StringComparison.Ordinal), $"{scenario}: expected {index}: {text}");
            }
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

    /// <summary>The index a project's newest-first request list must seek, for the filters that have one.</summary>
    private static string? ExpectedIndex(string scenario) => scenario switch
    {
        "requests project" or "requests project+time" => "ix_request_log_project",
        "requests project+app" => "ix_request_log_app",
        "requests project+kind" => "ix_request_log_kind",
        "requests project+status" => "ix_request_log_status",
        "requests project+user" or "requests project+user+time" => "ix_request_log_user",
        "requests project+ip" => "ix_request_log_ip",
        "requests project+node" or "requests project+node+time" or "timeline project+node" => "ix_request_log_node",
        "tasks project" or "tasks project+time" or "tasks project+target-prefix" => "ix_tasks_project",
        "tasks project+state" or "tasks project+state+time" => "ix_tasks_state",
        "tasks project+app" => "ix_tasks_app",
        "messages project" or "messages project+time" => "ix_messages_project",
        "messages project+resource-type" or "messages project+resource-type+time" => "ix_messages_resource_type",
        "messages project+resource-uuid" => "ix_messages_resource_uuid",
        "messages project+action" => "ix_messages_action",
        "messages project+detail" => "ix_messages_detail",
        "messages project+level" or "messages project+level+time" => "ix_messages_level",
        "messages project+request-id" => "ix_messages_request",
        "messages project+host" => "ix_messages_host",
        "messages project+user" => "ix_messages_user",
        _ => null,
    };

    // Filters are built from the fixture at run time (some name seeded ids); the names are the theory data.
    private static Dictionary<string, (bool Admin, Func<QueryPlanFixture, Task> Run)> ScenarioTable()
    {
        const string P = QueryPlanFixture.Project;
        var requests = new Dictionary<string, Func<QueryPlanFixture, RequestLogFilter>>
        {
            ["project"] = f => new() { Project = P },
            ["project+app"] = f => new() { Project = P, App = "kimchi" },
            ["project+kind"] = f => new() { Project = P, Kind = "POST" },
            ["project+status"] = f => new() { Project = P, Status = 202 },
            ["project+user"] = f => new() { Project = P, UserName = "root" },
            ["project+ip"] = f => new() { Project = P, ClientIp = "10.0.0.1" },
            ["project+node"] = f => new() { Project = P, Node = "n1" },
            ["project+node+time"] = f => new() { Project = P, Node = "n1", From = From },
            ["project+time"] = f => new() { Project = P, From = From, To = To },
            ["project+user+time"] = f => new() { Project = P, UserName = "root", From = From },
            ["project+task"] = f => new() { Project = P, TaskId = f.TaskId },
            ["project+during-task"] = f => new() { Project = P, DuringTaskId = f.TaskId },
            ["project+request-id"] = f => new() { Project = P, RequestId = "req-1" },
            ["project+outcome"] = f => new() { Project = P, Outcome = RequestOutcome.Succeeded },
        };
        var adminRequests = new Dictionary<string, Func<QueryPlanFixture, RequestLogFilter>>
        {
            ["all"] = f => new(),
            ["app"] = f => new() { App = "kimchi" },
            ["node"] = f => new() { Node = "n1" },
            ["time"] = f => new() { From = From, To = To },
            ["task"] = f => new() { TaskId = f.TaskId },
            ["request-id"] = f => new() { RequestId = "req-1" },
        };
        var tasks = new Dictionary<string, Func<QueryPlanFixture, TaskFilter>>
        {
            ["project"] = f => new() { Project = P },
            ["project+state"] = f => new() { Project = P, State = TaskState.Running },
            ["project+app"] = f => new() { Project = P, App = "kimchi" },
            ["project+target-prefix"] = f => new() { Project = P, TargetPrefix = "/plugins/kimchi/" },
            ["project+time"] = f => new() { Project = P, CreatedFrom = From, CreatedTo = To },
            ["project+state+time"] = f => new() { Project = P, State = TaskState.Running, CreatedFrom = From },
        };
        var adminTasks = new Dictionary<string, Func<QueryPlanFixture, TaskFilter>> { ["all"] = _ => new(), ["state"] = _ => new() { State = TaskState.Running } };
        var messages = new Dictionary<string, Func<QueryPlanFixture, MessageFilter>>
        {
            ["project"] = f => new() { Project = P },
            ["project+resource-type"] = f => new() { Project = P, ResourceType = "VOLUME" },
            ["project+resource-uuid"] = f => new() { Project = P, ResourceUuid = "f00d" },
            ["project+action"] = f => new() { Project = P, ActionCode = "001" },
            ["project+detail"] = f => new() { Project = P, DetailCode = "002" },
            ["project+level"] = f => new() { Project = P, Level = MessageLevel.Warning },
            ["project+request-id"] = f => new() { Project = P, RequestId = "req-1" },
            ["project+host"] = f => new() { Project = P, Host = "node" },
            ["project+user"] = f => new() { Project = P, UserName = "alice" },
            ["project+time"] = f => new() { Project = P, From = From, To = To },
            ["project+resource-type+time"] = f => new() { Project = P, ResourceType = "VOLUME", From = From },
            ["project+level+time"] = f => new() { Project = P, Level = MessageLevel.Warning, From = From },
        };
        var adminMessages = new Dictionary<string, Func<QueryPlanFixture, MessageFilter>> { ["all"] = _ => new(), ["level"] = _ => new() { Level = MessageLevel.Warning }, ["host"] = _ => new() { Host = "node" } };

        var table = new Dictionary<string, (bool, Func<QueryPlanFixture, Task>)>();
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
        table["timeline project+node"] = (false, f => f.TaskLog.GetTimelineAsync(P, 10, "n1"));
        table["admin timeline node"] = (true, f => f.TaskLog.GetTimelineAsync(null, 10, "n1"));
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
        table["provisioning events"] = (false, f => TwoPages(t => f.Provisioning.ListEventsAsync(QueryPlanFixture.Cluster, null, 1, t)));
        table["provisioning events of step"] = (false, f => TwoPages(t => f.Provisioning.ListEventsAsync(QueryPlanFixture.Cluster, f.StepId, 1, t)));
        table["provisioning instance events"] = (false, f => TwoPages(t => f.Provisioning.ListInstanceEventsAsync(new ProvisioningEventFilter { ClusterId = QueryPlanFixture.Cluster }, 1, t)));
        table["provisioning instance events filtered"] = (false, f => TwoPages(t => f.Provisioning.ListInstanceEventsAsync(
            new ProvisioningEventFilter { ClusterId = QueryPlanFixture.Cluster, StepId = f.StepId, NodeGroup = "workers", Successful = true, From = From }, 1, t)));
        table["provisioning instance events of node"] = (false, f => TwoPages(t => f.Provisioning.ListInstanceEventsAsync(
            new ProvisioningEventFilter { ClusterId = QueryPlanFixture.Cluster, Node = "n1" }, 1, t)));
        table["provisioning stream"] = (false, f => f.Provisioning.ReadClusterStreamAsync(QueryPlanFixture.Cluster, 1, 10));
        table["provisioning progress"] = (false, f => f.Provisioning.GetProgressAsync(QueryPlanFixture.Cluster));
        table["provisioning stalled steps"] = (true, f => f.Provisioning.GetStalledStepsAsync(To, 10));
        table["guest logs of instance"] = (false, f => f.GuestLogs.ListLogsAsync(QueryPlanFixture.Instance));
        table["guest log chunks"] = (false, f => f.GuestLogs.ReadChunksAsync(f.LogId, 1, 10));
        table["guest log tail"] = (false, f => f.GuestLogs.GetTailAsync(QueryPlanFixture.Instance, "guest", 2));
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
}
