namespace EventLog.Storage.Provisioning;

/// <summary>What a row of a cluster's stream records.</summary>
public enum ProvisioningEventKind
{
    /// <summary>A per-instance event reported under a step.</summary>
    Instance = 0,
    /// <summary>A step was declared by a plan.</summary>
    StepDeclared = 1,
    /// <summary>A step started.</summary>
    StepStarted = 2,
    /// <summary>A step finished (see <see cref="ProvisioningEvent.Successful"/>).</summary>
    StepFinished = 3,
}
