using EventLog.V1;

namespace EventLog.Client.Tests;

/// <summary>A plugin registers its step lists once per step type; a plan names the plugin instead of spelling its steps.</summary>
public sealed class StepListTests : AgentServerTest
{
    private static readonly PlannedStep[] Creating =
    [
        new() { Name = "Launching instances", Total = 2 },
        new() { Name = "Waiting for ssh" },
    ];

    [Fact]
    public async Task Register_Once_ThenThePlanNamesThePlugin_AndRunsItsSteps()
    {
        var first = await Agent.Provisioning.RegisterStepListAsync("vanilla", StepType.Creating, Creating).WithTimeout();
        var again = await Agent.Provisioning.RegisterStepListAsync("vanilla", StepType.Creating, Creating).WithTimeout();

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(Creating, again.Steps);

        var plan = await Agent.Provisioning.BeginFromPluginAsync("cluster-vanilla", StepType.Creating, "vanilla").WithTimeout();
        Assert.Equal(["Launching instances", "Waiting for ssh"], plan.Steps.Select(s => s.Name));
        Assert.Equal([2L, 0L], plan.Steps.Select(s => s.Total));
        Assert.All(plan.Steps, s => Assert.Equal(StepType.Creating, s.StepType));
        await using (var step = await plan.StartStepAsync("Launching instances").WithTimeout())
        {
            await step.ReportAsync([new ProvisionEvent { InstanceId = "i-1", Successful = true, Node = "n1" }]).WithTimeout();
            await step.ReportAsync([new ProvisionEvent { InstanceId = "i-2", Successful = true, Node = "n2" }]).WithTimeout();
        }

        var progress = await Agent.Provisioning.GetProgressAsync("cluster-vanilla").WithTimeout();
        Assert.True(progress.Steps[0].Successful);
        var onN2 = await Agent.Provisioning.ListEventsAsync(new ListEventsRequest { ClusterId = "cluster-vanilla", Node = "n2" }).ToListAsync().WithTimeout();
        Assert.Equal(["i-2"], onN2.Select(e => e.InstanceId));
        Assert.Equal("n2", onN2[0].Node);
    }

    [Fact]
    public async Task Register_ADifferentList_IsAlreadyExists_AndKeepsTheFirst()
    {
        await Agent.Provisioning.RegisterStepListAsync("spark", StepType.Scaling, [new PlannedStep { Name = "Adding nodes" }]).WithTimeout();

        var conflict = await Assert.ThrowsAsync<EventLogException>(
            () => Agent.Provisioning.RegisterStepListAsync("spark", StepType.Scaling, [new PlannedStep { Name = "Adding nodes", Total = 3 }]).WithTimeout());

        Assert.Equal(StatusCode.AlreadyExists, conflict.StatusCode);
        Assert.Equal("CONFLICT", conflict.Reason);
        var plan = await Agent.Provisioning.BeginFromPluginAsync("cluster-spark", StepType.Scaling, "spark").WithTimeout();
        Assert.Equal(0, Assert.Single(plan.Steps).Total);
    }

    [Fact]
    public async Task Plan_OfAPluginWithoutAList_IsNotFound_AndOtherProjectsListsAreNotVisible()
    {
        await Agent.Provisioning.RegisterStepListAsync("hdp", StepType.Creating, Creating).WithTimeout();
        var otherProject = Server.CreateClient(TestTokens.AgentB);

        var deleting = await Assert.ThrowsAsync<EventLogException>(() => Agent.Provisioning.BeginFromPluginAsync("cluster-hdp", StepType.Deleting, "hdp").WithTimeout());
        var other = await Assert.ThrowsAsync<EventLogException>(() => otherProject.Provisioning.BeginFromPluginAsync("cluster-hdp-b", StepType.Creating, "hdp").WithTimeout());

        Assert.Equal(StatusCode.NotFound, deleting.StatusCode);
        Assert.Contains("hdp", deleting.Message, StringComparison.Ordinal);
        Assert.Equal(StatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task BadInput_NamesTheField()
    {
        var bothSpelledAndNamed = new DeclarePlanRequest { ClusterId = "cluster-both", StepType = StepType.Creating, Plugin = "vanilla", Steps = { Creating } };
        var repeated = new[] { new PlannedStep { Name = "Boot" }, new PlannedStep { Name = "Boot" } };

        var cases = new (Func<Task> Call, string Field)[]
        {
            (() => Agent.Provisioning.DeclarePlanAsync(bothSpelledAndNamed), "steps"),
            (() => Agent.Provisioning.RegisterStepListAsync("", StepType.Creating, Creating), "plugin"),
            (() => Agent.Provisioning.RegisterStepListAsync(new string('p', 129), StepType.Creating, Creating), "plugin"),
            (() => Agent.Provisioning.RegisterStepListAsync("vanilla", StepType.Unspecified, Creating), "step_type"),
            (() => Agent.Provisioning.RegisterStepListAsync("vanilla", StepType.Creating, []), "steps"),
            (() => Agent.Provisioning.RegisterStepListAsync("vanilla", StepType.Creating, repeated), "steps[1].name"),
        };
        foreach (var (call, field) in cases)
        {
            var error = await Assert.ThrowsAsync<EventLogException>(() => call().WithTimeout());
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Equal(field, Assert.Single(error.FieldViolations).Field);
        }

        // Nothing was stored by the rejected registrations.
        Assert.True((await Agent.Provisioning.RegisterStepListAsync("vanilla", StepType.Creating, Creating).WithTimeout()).Created);
    }

    [Fact]
    public async Task Register_NeedsTheAgentRole()
    {
        var member = Server.CreateClient(TestTokens.MemberA);

        var denied = await Assert.ThrowsAsync<EventLogException>(() => member.Provisioning.RegisterStepListAsync("vanilla", StepType.Creating, Creating).WithTimeout());

        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
    }
}
