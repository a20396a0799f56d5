namespace EventLog.Storage.Provisioning;

/// <summary>Filters of a cluster's per-instance event list (oldest first). Null = not filtered.</summary>
public sealed record ProvisioningEventFilter
{
    public required string ClusterId { get; init; }
    public long? StepId { get; init; }
    public string? NodeGroup { get; init; }
    public string? InstanceId { get; init; }
    public bool? Successful { get; init; }
    /// <summary>Events that happened on this node.</summary>
    public string? Node { get; init; }
    /// <summary>Created at or after (inclusive).</summary>
    public DateTime? From { get; init; }
    /// <summary>Created before (exclusive).</summary>
    public DateTime? To { get; init; }
}
