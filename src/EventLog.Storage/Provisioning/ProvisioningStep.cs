namespace EventLog.Storage.Provisioning;

/// <summary>A provisioning step of a cluster with its derived progress.</summary>
public sealed record ProvisioningStep
{
    public long Id { get; init; }
    public string ClusterId { get; init; } = "";
    public string Project { get; init; } = "";
    public string StepName { get; init; } = "";
    public ProvisioningStepType StepType { get; init; }
    /// <summary>Position of the step in the cluster's plans (1-based, across plans).</summary>
    public int Ordinal { get; init; }
    public int Total { get; init; }
    /// <summary>Per-instance events received (successful or not).</summary>
    public int Completed { get; init; }
    /// <summary>Per-instance events that reported a failure.</summary>
    public int Failed { get; init; }
    /// <summary>Null while running, true or false once finished.</summary>
    public bool? Successful { get; init; }
    /// <summary>True once the events of this successful step were compacted away.</summary>
    public bool Compacted { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public DateTime? LastEventAt { get; init; }

    /// <summary>Run time so far (to <paramref name="now"/> while running); null before it started.</summary>
    public TimeSpan? GetDuration(DateTime now) => StartedAt is { } s ? (FinishedAt ?? now) - s : null;
}
