namespace EventLog.Storage.Provisioning;

/// <summary>A row of a cluster's stream: a per-instance event, or a step change (see <see cref="Kind"/>).</summary>
public sealed record ProvisioningEvent
{
    public long Id { get; init; }
    public string ClusterId { get; init; } = "";
    /// <summary>Position in the cluster's stream (<see cref="StreamKeys.Cluster"/>).</summary>
    public long Seq { get; init; }
    public long StepId { get; init; }
    public ProvisioningEventKind Kind { get; init; }
    public string? NodeGroup { get; init; }
    public string? InstanceId { get; init; }
    public string? InstanceName { get; init; }
    /// <summary>Event text; for step changes the step name.</summary>
    public string? Info { get; init; }
    public bool? Successful { get; init; }
    public string? ErrorId { get; init; }
    /// <summary>Node (host) the event happened on; null when not reported.</summary>
    public string? Node { get; init; }
    public DateTime CreatedAt { get; init; }
}
