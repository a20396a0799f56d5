using EventLog.Server.Tests.Provisioning;
using EventLog.V1;
using static EventLog.Server.Tests.TaskLog.TaskLogTestKit;

namespace EventLog.Server.Tests.Scrubbing;

/// <summary>Secrets written into free-text fields are masked before they are stored, so readers never see them.</summary>
public sealed class StoredSecretsTests
{
    [Fact]
    public async Task TaskLogLines_AndProgressMessages_AreStoredScrubbed()
    {
        await using var kit = await StartAsync();
        var task = await kit.StartTaskAsync();
        await kit.AppendAsync(task.Id, 0, "connecting with password=hunter2", "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "plain line");
        await kit.Agent.ReportTaskProgressAsync(new ReportTaskProgressRequest { TaskId = task.Id, ProgressPercent = 50, ProgressMessage = "retrying with api_key=abc123" }, deadline: Deadline);

        using var tail = kit.Reader.TailTaskLog(new TailTaskLogRequest { TaskId = task.Id }, deadline: Deadline);
        var lines = new List<string>();
        while (await tail.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)))
        {
            if (tail.ResponseStream.Current.Lines is { } batch)
            {
                lines.AddRange(batch.Lines);
            }
        }
        Assert.Equal(["connecting with password=***", "Authorization: Bearer ***", "plain line"], lines);
        var stored = await kit.Reader.GetTaskAsync(new GetTaskRequest { TaskId = task.Id }, deadline: Deadline);
        Assert.Equal("retrying with api_key=***", stored.Task.ProgressMessage);
    }

    [Fact]
    public async Task ProvisioningEventInfo_IsStoredScrubbed()
    {
        await using var server = await EventLogHost.StartAsync();
        var agent = new ProvisioningService.ProvisioningServiceClient(server.CreateChannel(TestTokens.AgentA));
        var cluster = ProvisioningTestData.NewClusterId();
        var plan = await agent.DeclarePlanAsync(ProvisioningTestData.Plan(cluster, ("Configuring", 1))).ResponseAsync.WaitAsync(ProvisioningTestData.TestTimeout);
        var traceback = "Traceback (most recent call last):\n  keystone auth failed: OS_PASSWORD=hunter2 OS_USERNAME=admin";
        await agent.RecordEventsAsync(ProvisioningTestData.Events(plan.Steps[0].Id, 1, 1, successful: false, info: traceback)).ResponseAsync.WaitAsync(ProvisioningTestData.TestTimeout);

        var events = await agent.ListEventsAsync(new ListEventsRequest { ClusterId = cluster }).ResponseAsync.WaitAsync(ProvisioningTestData.TestTimeout);

        var info = Assert.Single(events.Events).Info;
        Assert.Contains("OS_PASSWORD=***", info, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", info, StringComparison.Ordinal);
        Assert.Contains("OS_USERNAME=admin", info, StringComparison.Ordinal);
    }
}
