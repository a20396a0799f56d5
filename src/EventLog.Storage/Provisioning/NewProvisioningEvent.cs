namespace EventLog.Storage.Provisioning;

/// <summary>A per-instance event to add under a step.</summary>
public sealed record NewProvisioningEvent
{
    public string? NodeGroup { get; init; }
    public string? InstanceId { get; init; }
    public string? InstanceName { get; init; }
    public string? Info { get; init; }
    public bool Successful { get; init; } = true;
    /// <summary>Error id that lets admins find the failure in service logs.</summary>
    public string? ErrorId { get; init; }
    /// <summary>Node (host) the event happened on; null when not reported.</summary>
    public string? Node { get; init; }
}
