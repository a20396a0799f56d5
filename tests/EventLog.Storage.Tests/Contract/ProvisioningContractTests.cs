
namespace EventLog.Storage.Tests.Contract;

public abstract class ProvisioningContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StorageFixture
{
    private IProvisioningRepository Repo => Get<IProvisioningRepository>();

    [SkippableFact]
    public async Task Events_ReachTotal_CompleteStep_AndProgressShowsCurrentStep()
    {
        var cluster = Unique("c");
        var steps = await Repo.DeclarePlanAsync("p", cluster, ProvisioningStepType.Creating,
            [new PlannedStep("Launching instances", 3), new PlannedStep("Waiting for ssh", 3)]).WaitAsync(Timeout);
        Assert.Equal([1, 2], steps.Select(s => s.Ordinal));

        var result = await Repo.AddEventsAsync(steps[0].Id, [Ok("i1"), Ok("i2"), Ok("i3")]).WaitAsync(Timeout);
        Assert.True(result.Step.Successful);
        Assert.Equal(3, result.Step.Completed);
        Assert.NotNull(result.Step.FinishedAt);

        await Repo.AddEventsAsync(steps[1].Id, [Ok("i1")]).WaitAsync(Timeout);
        var progress = await Repo.GetProgressAsync(cluster).WaitAsync(Timeout);
        Assert.NotNull(progress);
        Assert.Equal(steps[1].Id, progress!.CurrentStep!.Id);
        Assert.Null(progress.CurrentStep.Successful);
        Assert.Equal(1, progress.CurrentStep.Completed);
        Assert.Single(progress.CurrentStepEvents);
        Assert.Equal(progress.LastSequence, await Get<IChangeNotifier>().GetLastSequenceAsync(StreamKeys.Cluster(cluster)).WaitAsync(Timeout));
        Assert.Equal(["Launching instances", "Waiting for ssh"], progress.Steps.Select(s => s.StepName));
    }

    [SkippableFact]
    public async Task RegisterStepList_OncePerPluginAndType_SameListAgainReturnsIt_DifferentOneConflicts()
    {
        var project = Unique("p");
        PlannedStep[] creating = [new("Launching instances", 3), new("Waiting for ssh", 0)];

        var first = await Repo.RegisterStepListAsync(project, "vanilla", ProvisioningStepType.Creating, creating).WaitAsync(Timeout);
        var again = await Repo.RegisterStepListAsync(project, "vanilla", ProvisioningStepType.Creating, creating).WaitAsync(Timeout);
        await Assert.ThrowsAsync<ConflictException>(() => Repo.RegisterStepListAsync(project, "vanilla", ProvisioningStepType.Creating, [new("Launching instances", 4)])).WaitAsync(Timeout);
        var scaling = await Repo.RegisterStepListAsync(project, "vanilla", ProvisioningStepType.Scaling, [new("Adding nodes", 1)]).WaitAsync(Timeout);

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(creating, again.Steps);
        Assert.True(scaling.Created);
        Assert.Equal(creating, await Repo.GetStepListAsync(project, "vanilla", ProvisioningStepType.Creating).WaitAsync(Timeout));
        Assert.Null(await Repo.GetStepListAsync(project, "vanilla", ProvisioningStepType.Deleting).WaitAsync(Timeout));
        Assert.Null(await Repo.GetStepListAsync(Unique("other"), "vanilla", ProvisioningStepType.Creating).WaitAsync(Timeout));
        Assert.Null(await Repo.GetStepListAsync(project, "VANILLA", ProvisioningStepType.Creating).WaitAsync(Timeout));
    }

    [SkippableFact]
    public async Task InstanceEvents_CarryTheirNode_AndFilterByIt()
    {
        var cluster = Unique("c");
        var step = (await Repo.DeclarePlanAsync("p", cluster, ProvisioningStepType.Creating, [new PlannedStep("Boot", 0)]).WaitAsync(Timeout))[0];
        await Repo.AddEventsAsync(step.Id,
        [
            Ok("i1") with { Node = "n1" }, Ok("i2") with { Node = "n2" }, Ok("i3") with { Node = "n1" }, Ok("i4"),
        ]).WaitAsync(Timeout);

        var page = await Repo.ListInstanceEventsAsync(new ProvisioningEventFilter { ClusterId = cluster, Node = "n1" }, 1, null).WaitAsync(Timeout);
        var next = await Repo.ListInstanceEventsAsync(new ProvisioningEventFilter { ClusterId = cluster, Node = "n1" }, 1, page.NextPageToken).WaitAsync(Timeout);

        Assert.Equal(["i1", "i3"], page.Items.Concat(next.Items).Select(e => e.InstanceId));
        Assert.All(page.Items.Concat(next.Items), e => Assert.Equal("n1", e.Node));
        Assert.Null(next.NextPageToken);
        var all = await Repo.ListInstanceEventsAsync(new ProvisioningEventFilter { ClusterId = cluster }, 10, null).WaitAsync(Timeout);
        Assert.Equal(["n1", "n2", "n1", null], all.Items.Select(e => e.Node));
    }

    [SkippableFact]
    public async Task FirstFailedEvent_FailsStep_AndLaterEventsAreKept()
    {
        var cluster = Unique("c");
        var step = (await Repo.DeclarePlanAsync("p", cluster, ProvisioningStepType.Scaling, [new PlannedStep("Configure", 5)]).WaitAsync(Timeout))[0];
        var failed = await Repo.AddEventsAsync(step.Id, [Ok("i1"), new NewProvisioningEvent { InstanceId = "i2", Successful = false, ErrorId = "err-42", Info = "ssh refused" }]).WaitAsync(Timeout);
        Assert.False(failed.Step.Successful);
        Assert.Equal(1, failed.Step.Failed);
        Assert.True(failed.FinishedStep);
        var more = await Repo.AddEventsAsync(step.Id, [Ok("i3")]).WaitAsync(Timeout);
        Assert.False(more.Step.Successful);
        Assert.False(more.FinishedStep);
        Assert.Equal(3, more.Step.Completed);
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Repo.CompleteStepAsync(step.Id, true)).WaitAsync(Timeout);

        var events = await Repo.ListEventsAsync(cluster, step.Id, 2, null).WaitAsync(Timeout);
        Assert.Equal(2, events.Items.Count);
        var rest = await Repo.ListEventsAsync(cluster, step.Id, 10, events.NextPageToken).WaitAsync(Timeout);
        var all = events.Items.Concat(rest.Items).ToList();
        Assert.Equal(all.Select(e => e.Seq).OrderDescending(), all.Select(e => e.Seq));
        Assert.Contains(all, e => e.ErrorId == "err-42" && e.Successful == false);

        // Failed steps keep their events through compaction.
        await Repo.CompactAsync(DateTime.UtcNow.AddDays(1), 1000).WaitAsync(Timeout);
        Assert.Equal(3, (await Repo.ReadClusterStreamAsync(cluster, 0, 100).WaitAsync(Timeout)).Items.Count(e => e.Kind == ProvisioningEventKind.Instance));
    }

    [SkippableFact]
    public async Task AddEvents_StepOfAnotherProject_NotFound_EvenForAReplay_AndNothingStored()
    {
        var cluster = Unique("c");
        var project = Unique("p");
        var step = (await Repo.DeclarePlanAsync(project, cluster, ProvisioningStepType.Creating, [new PlannedStep("Boot", 0)]).WaitAsync(Timeout))[0];
        var stored = await Repo.AddEventsAsync(step.Id, [Ok("i1")], "req-1", project).WaitAsync(Timeout);
        Assert.False(stored.FinishedStep);
        await Assert.ThrowsAsync<NotFoundException>(() => Repo.AddEventsAsync(step.Id, [Ok("i2")], "req-2", Unique("other"))).WaitAsync(Timeout);
        await Assert.ThrowsAsync<NotFoundException>(() => Repo.AddEventsAsync(step.Id, [Ok("i1")], "req-1", Unique("other"))).WaitAsync(Timeout);
        await Assert.ThrowsAsync<NotFoundException>(() => Repo.AddEventsAsync(step.Id + 1_000_000, [Ok("i2")], "req-3", project)).WaitAsync(Timeout);
        var replay = await Repo.AddEventsAsync(step.Id, [Ok("i1")], "req-1", project).WaitAsync(Timeout);
        Assert.Equal(stored.FirstSequence, replay.FirstSequence);
        var events = await Repo.ReadClusterStreamAsync(cluster, 0, 100).WaitAsync(Timeout);
        Assert.Equal(["i1"], events.Items.Where(e => e.Kind == ProvisioningEventKind.Instance).Select(e => e.InstanceId));
    }

    [SkippableFact]
    public async Task ClusterStream_CoversStepChangesAndEvents_GapFree()
    {
        var cluster = Unique("c");
        var step = (await Repo.DeclarePlanAsync("p", cluster, ProvisioningStepType.Creating, [new PlannedStep("Launch", 2)]).WaitAsync(Timeout))[0];
        await Repo.StartStepAsync(step.Id).WaitAsync(Timeout);
        await Repo.AddEventsAsync(step.Id, [Ok("i1"), Ok("i2")]).WaitAsync(Timeout);
        var stream = await Repo.ReadClusterStreamAsync(cluster, 0, 100).WaitAsync(Timeout);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], stream.Items.Select(e => e.Seq));
        Assert.Equal(
            [ProvisioningEventKind.StepDeclared, ProvisioningEventKind.StepStarted, ProvisioningEventKind.Instance, ProvisioningEventKind.Instance, ProvisioningEventKind.StepFinished],
            stream.Items.Select(e => e.Kind));
        Assert.True(stream.Items[^1].Successful);
    }

    [SkippableFact]
    public async Task Compaction_DeletesEventsOfSuccessfulSteps_AtMostBatchPerRound()
    {
        var cluster = Unique("c");
        var step = (await Repo.DeclarePlanAsync("p", cluster, ProvisioningStepType.Creating, [new PlannedStep("Launch", 7)]).WaitAsync(Timeout))[0];
        await Repo.AddEventsAsync(step.Id, Enumerable.Range(0, 7).Select(i => Ok("i" + i)).ToList()).WaitAsync(Timeout);
        var rounds = new List<int>();
        int n;
        while ((n = await Repo.CompactAsync(DateTime.UtcNow.AddMinutes(1), 3).WaitAsync(Timeout)) > 0)
        {
            rounds.Add(n);
        }

        Assert.All(rounds, r => Assert.True(r <= 3));
        var left = await Repo.ReadClusterStreamAsync(cluster, 0, 100).WaitAsync(Timeout);
        Assert.DoesNotContain(left.Items, e => e.Kind == ProvisioningEventKind.Instance);
        Assert.Contains(left.Items, e => e.Kind == ProvisioningEventKind.StepFinished);
        Assert.True((await Repo.GetStepAsync(step.Id).WaitAsync(Timeout))!.Compacted);
    }

    [SkippableFact]
    public async Task StalledSteps_AreStartedUnfinishedStepsWithoutRecentEvents()
    {
        var cluster = Unique("c");
        var steps = await Repo.DeclarePlanAsync("p", cluster, ProvisioningStepType.Deleting, [new PlannedStep("A", 2), new PlannedStep("B", 2)]).WaitAsync(Timeout);
        await Repo.StartStepAsync(steps[0].Id).WaitAsync(Timeout);
        var stalled = await Repo.GetStalledStepsAsync(DateTime.UtcNow.AddMinutes(5), 1000).WaitAsync(Timeout);
        Assert.Contains(stalled, s => s.Id == steps[0].Id);
        Assert.DoesNotContain(stalled, s => s.Id == steps[1].Id);
        Assert.DoesNotContain(await Repo.GetStalledStepsAsync(DateTime.UtcNow.AddMinutes(-5), 1000).WaitAsync(Timeout), s => s.Id == steps[0].Id);
    }

    private static NewProvisioningEvent Ok(string instance) => new() { NodeGroup = "workers", InstanceId = instance, InstanceName = "vm-" + instance, Info = "ok" };
}

public sealed class SqliteProvisioningTests(SqliteFixture fixture) : ProvisioningContractTests<SqliteFixture>(fixture);

public sealed class SqlServerProvisioningTests(SqlServerFixture fixture) : ProvisioningContractTests<SqlServerFixture>(fixture);

public sealed class PostgreSqlProvisioningTests(PostgreSqlFixture fixture) : ProvisioningContractTests<PostgreSqlFixture>(fixture);
