namespace EventLog.Storage.Provisioning;

/// <summary>The step after the events were applied and the stream sequences they got.</summary>
public sealed record AddEventsResult(ProvisioningStep Step, long FirstSequence, long LastSequence)
{
    /// <summary>The stored per-instance events with their ids and sequences, in request order.</summary>
    public IReadOnlyList<ProvisioningEvent> Events { get; init; } = [];

    /// <summary>True when these events finished the step (its outcome is in <see cref="Step"/>); false on a replay.</summary>
    public bool FinishedStep { get; init; }
}
