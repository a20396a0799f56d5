
namespace EventLog.Storage.Tests.SqlServer;

internal sealed partial class StorageExercise
{
    private const string Cluster = "cluster-" + Project;

    private async Task ProvisioningAsync(CancellationToken ct)
    {
        var repository = Get<IProvisioningRepository>();
        var declared = new ProvisioningStep { Id = Id, ClusterId = Cluster, Project = Project, StepName = "boot", Ordinal = 1, Total = 2, CreatedAt = Now };
        server.SetRow("prov_steps", declared);
        server.SetRow("prov_events", new ProvisioningEvent { Id = Id, ClusterId = Cluster, Seq = 1, StepId = Id, CreatedAt = Now });

        await Call(() => repository.DeclarePlanAsync(Project, Cluster, ProvisioningStepType.Creating, [new PlannedStep("boot", 2), new PlannedStep("network", 1)], "key", ct));

        // The step is declared, not started: starting it records a start; events start it and, one failing, finish it.
        await Call(() => repository.StartStepAsync(Id, ct));
        await Call(() => repository.StartStepAsync(Id, 3, ct));
        await Call(() => repository.AddEventsAsync(Id, [new NewProvisioningEvent { InstanceId = "i-1" }, new NewProvisioningEvent { InstanceId = "i-2", Successful = false }], "key", Project, ct));
        await Call(() => repository.CompleteStepAsync(Id, true, ct));
        await Call(() => repository.GetStepAsync(Id, ct));

        // A started step is the current one: its instance events are read too.
        server.SetRow("prov_steps", declared with { StartedAt = Now, LastEventAt = Now });
        await Call(() => repository.GetProgressAsync(Cluster, ct));
        foreach (var stepId in new long?[] { null, Id })
        {
            await Call(() => BothPagesAsync(token => repository.ListEventsAsync(Cluster, stepId, 1, token, ct)));
        }

        foreach (var filter in FilterShapes.Of(() => new ProvisioningEventFilter { ClusterId = Cluster }))
        {
            await Call(() => BothPagesAsync(token => repository.ListInstanceEventsAsync(filter, 1, token, ct)));
        }

        // No list registered yet: it is stored; then one is, and the same list returns it while another conflicts.
        PlannedStep[] steps = [new("boot", 2)];
        server.SetRow("prov_step_lists", null);
        await Call(() => repository.GetStepListAsync(Project, "vanilla", ProvisioningStepType.Creating, ct));
        await Call(() => repository.RegisterStepListAsync(Project, "vanilla", ProvisioningStepType.Creating, steps, ct));
        server.SetRow("prov_step_lists", new { Steps = """[{"name":"boot","total":2}]""" });
        await Call(() => repository.GetStepListAsync(Project, "vanilla", ProvisioningStepType.Creating, ct));
        await Call(() => repository.RegisterStepListAsync(Project, "vanilla", ProvisioningStepType.Creating, steps, ct));

        await Call(() => repository.ReadClusterStreamAsync(Cluster, 0, 10, ct));
        await Call(() => repository.GetStalledStepsAsync(Now, 10, ct));
        await Call(() => repository.CompactAsync(Now, 10, ct));
    }
}
