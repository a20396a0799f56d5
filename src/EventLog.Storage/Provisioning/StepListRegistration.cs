namespace EventLog.Storage.Provisioning;

/// <summary>The step list registered for a plugin and step type, and whether this registration stored it.</summary>
public sealed record StepListRegistration(IReadOnlyList<PlannedStep> Steps, bool Created);
