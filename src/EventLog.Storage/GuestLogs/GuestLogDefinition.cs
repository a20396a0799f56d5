namespace EventLog.Storage.GuestLogs;

/// <summary>A catalog entry as the agent declares it. <see cref="InitialStatus"/> applies only when the entry is new.</summary>
public sealed record GuestLogDefinition
{
    public required string InstanceId { get; init; }
    public required string LogName { get; init; }
    public required string Project { get; init; }
    public GuestLogType LogType { get; init; } = GuestLogType.Sys;
    public string FileName { get; init; } = "";
    public string Datastore { get; init; } = "";
    public bool Exposed { get; init; } = true;
    public bool RestartRequired { get; init; }
    public GuestLogStatus InitialStatus { get; init; } = GuestLogStatus.Enabled;
}
