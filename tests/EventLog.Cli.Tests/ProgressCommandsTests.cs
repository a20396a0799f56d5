using EventLog.V1;

namespace EventLog.Cli.Tests;

public sealed class ProgressCommandsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Watch_RendersBarsAndExitsWhenTheOperationEnds()
    {
        var plan = await fixture.Agent.Provisioning.BeginAsync("cluster-watch", StepType.Creating, ["Launching instances", "Waiting for ssh"]).WithTimeout();
        var watch = CliRunner.Start(fixture.Address, TestTokens.MemberA, "progress", "watch", "cluster-watch");
        await watch.WaitForOutputAsync("Waiting for ssh");

        foreach (var name in new[] { "Launching instances", "Waiting for ssh" })
        {
            // Each change is awaited on screen before the next one, so every state is rendered.
            await using var step = await plan.StartStepAsync(name, total: 2).WithTimeout();
            await watch.WaitForOutputAsync($"{name,-28} [------------------------------]   0% 0/2");
            await step.ReportAsync("i-1", "node-1", successful: true).WithTimeout();
            await watch.WaitForOutputAsync($"{name,-28} [###############---------------]  50% 1/2");
            await step.ReportAsync("i-2", "node-2", successful: true).WithTimeout();
            await watch.WaitForOutputAsync($"{name,-28} [##############################] 100% 2/2");
        }
        var result = await watch.WaitAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var name in new[] { "Launching instances", "Waiting for ssh" })
        {
            Assert.Contains($"{name,-28} [##############################] 100% 2/2", result.Output, StringComparison.Ordinal);
        }
        Assert.Contains("Operation completed.", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_FailedStep_ExitsOperationFailed()
    {
        var plan = await fixture.Agent.Provisioning.BeginAsync("cluster-fail", StepType.Creating, ["Waiting for ssh", "Configuring"]).WithTimeout();
        var watch = CliRunner.Start(fixture.Address, TestTokens.MemberA, "progress", "watch", "cluster-fail");
        await watch.WaitForOutputAsync("Configuring");

        await using (var step = await plan.StartStepAsync("Waiting for ssh", total: 2).WithTimeout())
        {
            await step.ReportAsync("i-1", "node-1", successful: false, info: "ssh timed out", errorId: "err-1").WithTimeout();
        }
        var result = await watch.WaitAsync();

        Assert.True(result.ExitCode == ExitCodes.OperationFailed, result.ToString());
        Assert.Contains("Operation failed at step 'Waiting for ssh'.", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_Json_PrintsTheSnapshotThenOneJsonLinePerUpdate()
    {
        var plan = await fixture.Agent.Provisioning.BeginAsync("cluster-jsonl", StepType.Creating, ["Launching instances"]).WithTimeout();
        var watch = CliRunner.Start(fixture.Address, TestTokens.MemberA, "progress", "watch", "cluster-jsonl", "--json");
        await watch.WaitForOutputAsync("\"clusterId\"");

        await using (var step = await plan.StartStepAsync("Launching instances", total: 2).WithTimeout())
        {
            await step.ReportAsync("i-1", "node-1", successful: true).WithTimeout();
            await step.ReportAsync("i-2", "node-2", successful: true).WithTimeout();
        }
        var result = await watch.WaitAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("cluster-jsonl", lines[0].GetProperty("clusterId").GetString());
        Assert.Equal("Launching instances", lines[0].GetProperty("steps")[0].GetProperty("name").GetString());
        var updates = lines.Skip(1).ToList();
        Assert.Equal(["i-1", "i-2"], updates.Where(u => u.TryGetProperty("event", out _)).Select(u => u.GetProperty("event").GetProperty("instanceId").GetString()));
        var sequences = updates.Select(u => long.Parse(u.GetProperty("sequence").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(sequences.Order().Distinct(), sequences);
        Assert.True(updates[^1].GetProperty("step").GetProperty("successful").GetBoolean(), result.Output);
        Assert.DoesNotContain("Operation completed.", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_Json_HasStepsAndCounts()
    {
        var plan = await fixture.Agent.Provisioning.BeginAsync("cluster-show-json", StepType.Creating, ["Waiting for ssh"]).WithTimeout();
        var step = await plan.StartStepAsync("Waiting for ssh", total: 3).WithTimeout();
        await step.ReportAsync("i-1", "node-1", successful: true).WithTimeout();

        var show = await fixture.RunAsync("progress", "show", "cluster-show-json", "--json");

        Assert.True(show.ExitCode == 0, show.ToString());
        using var document = JsonDocument.Parse(show.Output);
        var only = Assert.Single(document.RootElement.GetProperty("steps").EnumerateArray());
        Assert.Equal("Waiting for ssh", only.GetProperty("name").GetString());
        Assert.Equal("1", only.GetProperty("completed").GetString());
        Assert.Equal("3", only.GetProperty("total").GetString());
        Assert.Equal("i-1", Assert.Single(document.RootElement.GetProperty("events").EnumerateArray()).GetProperty("instanceId").GetString());
    }

    [Theory]
    [InlineData("progress", "show")]
    [InlineData("progress", "watch")]
    [InlineData("progress", "show", "cluster-a", "cluster-b")]
    [InlineData("progress", "frobnicate", "cluster-a")]
    public async Task InvalidInput_ExitsInvalid(params string[] args)
    {
        var result = await fixture.RunAsync(args);

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        Assert.Contains("error:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_PrintsStepsAndEvents_MissingClusterIsNotFound()
    {
        var plan = await fixture.Agent.Provisioning.BeginAsync("cluster-show", StepType.Scaling, ["Adding nodes"]).WithTimeout();
        var step = await plan.StartStepAsync("Adding nodes", total: 3).WithTimeout();
        await step.ReportAsync("i-9", "node-9", successful: true).WithTimeout();

        var show = await fixture.RunAsync("progress", "show", "cluster-show");
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("Adding nodes", show.Output, StringComparison.Ordinal);
        Assert.Contains("running", show.Output, StringComparison.Ordinal);

        var missing = await fixture.RunAsync("progress", "show", "no-such-cluster");
        Assert.True(missing.ExitCode == ExitCodes.NotFound, missing.ToString());
    }

    [Fact]
    public async Task Events_ListsAClustersEvents_OldestFirst_ByStepNameOrIdAndNode()
    {
        await fixture.Agent.Provisioning.RegisterStepListAsync("cli-vanilla", StepType.Creating,
            [new PlannedStep { Name = "Launching instances", Total = 2 }, new PlannedStep { Name = "Waiting for ssh", Total = 2 }]).WithTimeout();
        var plan = await fixture.Agent.Provisioning.BeginFromPluginAsync("cluster-events", StepType.Creating, "cli-vanilla").WithTimeout();
        var launching = await plan.StartStepAsync("Launching instances").WithTimeout();
        await launching.ReportAsync([new ProvisionEvent { InstanceId = "i-1", Successful = true, Node = "n1" }, new ProvisionEvent { InstanceId = "i-2", Successful = true, Node = "n2" }]).WithTimeout();
        var ssh = await plan.StartStepAsync("Waiting for ssh").WithTimeout();
        await ssh.ReportAsync([new ProvisionEvent { InstanceId = "i-2", Successful = false, Info = "ssh timed out", ErrorId = "err-3", Node = "n2" }]).WithTimeout();

        var all = await fixture.RunAsync("progress", "events", "cluster-events");
        var byName = await fixture.RunAsync("progress", "events", "cluster-events", "--step", "Waiting for ssh", "--json");
        var byId = await fixture.RunAsync("progress", "events", "cluster-events", "--step", plan.Steps[0].Id, "--json");
        var onN2 = await fixture.RunAsync("progress", "events", "cluster-events", "--node", "n2", "--json");

        Assert.True(all.ExitCode == 0, all.ToString());
        var rows = all.Output.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToList();
        Assert.StartsWith("| Step ", rows[0], StringComparison.Ordinal);
        Assert.Equal(["Launching instances", "Launching instances", "Waiting for ssh"], rows.Skip(1).Select(r => r.Split('|')[1].Trim()));
        Assert.Contains("ssh timed out", all.Output, StringComparison.Ordinal);
        Assert.Equal(["i-2"], Instances(byName));
        Assert.Equal(["i-1", "i-2"], Instances(byId));
        Assert.Equal(["i-2", "i-2"], Instances(onN2));
    }

    [Fact]
    public async Task Events_UnknownStepOrCluster_ExitsInvalidOrNotFound()
    {
        await fixture.Agent.Provisioning.BeginAsync("cluster-events-bad", StepType.Creating, ["Boot"]).WithTimeout();

        var step = await fixture.RunAsync("progress", "events", "cluster-events-bad", "--step", "No such step");
        var cluster = await fixture.RunAsync("progress", "events", "no-such-cluster");

        Assert.True(step.ExitCode == ExitCodes.Invalid, step.ToString());
        Assert.Contains("No such step", step.Error, StringComparison.Ordinal);
        Assert.True(cluster.ExitCode == ExitCodes.NotFound, cluster.ToString());
    }

    private static List<string?> Instances(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.EnumerateArray().Select(e => e.GetProperty("instanceId").GetString()).ToList();
    }
}
