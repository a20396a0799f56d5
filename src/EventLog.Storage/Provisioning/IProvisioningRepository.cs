namespace EventLog.Storage.Provisioning;

/// <summary>Provisioning of clusters: the planned steps of each cluster and the events each instance reports on them.</summary>
public interface IProvisioningRepository
{
    /// <summary>Declares the named steps of an operation; they are appended after the cluster's existing steps.</summary>
    Task<IReadOnlyList<ProvisioningStep>> DeclarePlanAsync(string project, string clusterId, ProvisioningStepType stepType, IReadOnlyList<PlannedStep> steps, string? idempotencyKey = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the step list of a plugin and step type in a project, once. The same list again returns it with
    /// <see cref="StepListRegistration.Created"/> false; a different one throws <see cref="ConflictException"/>.
    /// </summary>
    Task<StepListRegistration> RegisterStepListAsync(string project, string plugin, ProvisioningStepType stepType, IReadOnlyList<PlannedStep> steps, CancellationToken cancellationToken = default);

    /// <summary>The step list a plugin registered for a step type in a project; null when none.</summary>
    Task<IReadOnlyList<PlannedStep>?> GetStepListAsync(string project, string plugin, ProvisioningStepType stepType, CancellationToken cancellationToken = default);

    /// <summary>Marks a step started (no-op when already started). NotFound / PreconditionFailed when finished.</summary>
    Task<ProvisioningStep> StartStepAsync(long stepId, CancellationToken cancellationToken = default);

    /// <summary>Marks a step started, setting its total when <paramref name="total"/> &gt; 0 (no-op when already started).</summary>
    Task<ProvisioningStep> StartStepAsync(long stepId, int total, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds per-instance events in one transaction (starting the step if needed). The first failed event
    /// fails the step; reaching <see cref="ProvisioningStep.Total"/> without failure completes it successfully.
    /// A step of another project than <paramref name="project"/>, when it is given, is NotFound like an unknown
    /// one, replays included: the caller learns nothing of it, and needs no read of its own before the write.
    /// </summary>
    Task<AddEventsResult> AddEventsAsync(long stepId, IReadOnlyList<NewProvisioningEvent> events, string? idempotencyKey = null, string? project = null, CancellationToken cancellationToken = default);

    /// <summary>Finishes a step explicitly. Repeating the same outcome is a no-op; a different one is PreconditionFailed.</summary>
    Task<ProvisioningStep> CompleteStepAsync(long stepId, bool successful, CancellationToken cancellationToken = default);

    Task<ProvisioningStep?> GetStepAsync(long stepId, CancellationToken cancellationToken = default);

    /// <summary>Progress of a cluster; null when it has no steps.</summary>
    Task<ProvisioningProgress?> GetProgressAsync(string clusterId, CancellationToken cancellationToken = default);

    /// <summary>Events of a cluster (optionally of one step) newest first, keyset paged.</summary>
    Task<Page<ProvisioningEvent>> ListEventsAsync(string clusterId, long? stepId, int pageSize, string? pageToken, CancellationToken cancellationToken = default);

    /// <summary>Per-instance events of a cluster (no step changes) oldest first, keyset paged by sequence; the token is bound to the filter.</summary>
    Task<Page<ProvisioningEvent>> ListInstanceEventsAsync(ProvisioningEventFilter filter, int pageSize, string? pageToken, CancellationToken cancellationToken = default);

    /// <summary>Stream rows of a cluster with sequence greater than <paramref name="afterSequence"/>, ascending.</summary>
    Task<StreamBatch<ProvisioningEvent>> ReadClusterStreamAsync(string clusterId, long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>Started, unfinished steps whose last event (or start) is older than <paramref name="lastEventBefore"/>.</summary>
    Task<IReadOnlyList<ProvisioningStep>> GetStalledStepsAsync(DateTime lastEventBefore, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes at most <paramref name="batchSize"/> per-instance events of steps that succeeded before <paramref name="finishedBefore"/>.</summary>
    Task<int> CompactAsync(DateTime finishedBefore, int batchSize, CancellationToken cancellationToken = default);
}
