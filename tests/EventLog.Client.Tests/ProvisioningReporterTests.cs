using EventLog.V1;

namespace EventLog.Client.Tests;

public sealed class ProvisioningReporterTests : IAsyncLifetime
{
    private EventLogHost _server = null!;

    public async Task InitializeAsync() => _server = await SdkHost.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Steps_ReportedAndCompleted_ShowInProgress()
    {
        var client = _server.CreateClient(TestTokens.AgentA);
        var plan = await client.Provisioning.BeginAsync("cluster-1", StepType.Creating, ["Launching instances", "Waiting for ssh"]).WithTimeout();
        Assert.Equal(["Launching instances", "Waiting for ssh"], plan.Steps.Select(s => s.Name));

        await using (var step = await plan.StartStepAsync("Launching instances", total: 2).WithTimeout())
        {
            await step.ReportAsync("i-1", "cluster-node-1", successful: true).WithTimeout();
            await step.ReportAsync("i-2", "cluster-node-2", successful: true).WithTimeout();
        }
        await using (var step = await plan.StartStepAsync("Waiting for ssh", total: 2).WithTimeout())
        {
            await step.ReportAsync("i-1", "cluster-node-1", successful: true).WithTimeout();
            await step.ReportAsync("i-2", "cluster-node-2", successful: false, info: "ssh timed out", errorId: "err-42").WithTimeout();
        }

        var progress = await client.Provisioning.GetProgressAsync("cluster-1").WithTimeout();
        Assert.Equal([true, false], progress.Steps.Select(s => s.Successful));
        Assert.Contains(progress.Events, e => e.ErrorId == "err-42");
    }

    [Fact]
    public async Task RecordingSwitchedOff_TheAgentsFlowSucceeds_AndProgressSaysRecordingIsOff()
    {
        await using var server = await SdkHost.StartAsync([new("Provisioning:RecordingEnabled", "false")]);
        var client = server.CreateClient(TestTokens.AgentA);

        var plan = await client.Provisioning.BeginAsync("cluster-off", StepType.Creating, ["Launching instances"]).WithTimeout();
        await using (var step = await plan.StartStepAsync("Launching instances", total: 1).WithTimeout())
        {
            await step.ReportAsync("i-1", "cluster-node-1", successful: true).WithTimeout();
        }

        var progress = await client.Provisioning.GetProgressAsync("cluster-off").WithTimeout();
        Assert.False(progress.RecordingEnabled);
        Assert.Empty(progress.Steps);
    }
}
