namespace EventLog.Storage.Provisioning;

/// <summary>The cluster operation a step belongs to (Sahara's step_type).</summary>
public enum ProvisioningStepType
{
    /// <summary>Creating a cluster.</summary>
    Creating = 1,
    /// <summary>Scaling a cluster.</summary>
    Scaling = 2,
    /// <summary>Deleting a cluster.</summary>
    Deleting = 3,
}
