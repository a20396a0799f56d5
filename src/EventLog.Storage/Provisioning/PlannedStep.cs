namespace EventLog.Storage.Provisioning;

/// <summary>A step of a plan: its name and how many per-instance events complete it.</summary>
public sealed record PlannedStep(string Name, int Total);
