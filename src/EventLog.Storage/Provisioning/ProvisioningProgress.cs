namespace EventLog.Storage.Provisioning;

/// <summary>
/// Progress of a cluster: every step sorted by start (then plan order), the current step (the last started,
/// or the first failed) with its events, and the stream position this snapshot includes.
/// </summary>
public sealed record ProvisioningProgress(
    IReadOnlyList<ProvisioningStep> Steps,
    ProvisioningStep? CurrentStep,
    IReadOnlyList<ProvisioningEvent> CurrentStepEvents,
    long LastSequence);
