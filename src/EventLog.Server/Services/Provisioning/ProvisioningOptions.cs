namespace EventLog.Server.Services.Provisioning;

/// <summary>Provisioning service settings, bound from the <c>Provisioning</c> configuration section.</summary>
public sealed class ProvisioningOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Provisioning";

    /// <summary>
    /// Record plans, steps and events at all (Sahara's switch to disable the event log). When false, writes
    /// are accepted and dropped so provisioning never fails because of its log. Default <c>true</c>.
    /// </summary>
    public bool RecordingEnabled { get; set; } = true;

    /// <summary>A running step with no event for this long is reported stalled. Default 10 minutes.</summary>
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Idle time after which WatchProgress sends a heartbeat. Default 15 seconds.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Most steps one DeclarePlan may declare; more is INVALID_ARGUMENT. Default 100.</summary>
    public int MaxPlanSteps { get; set; } = 100;

    /// <summary>Most events one RecordEvents may carry; more is RESOURCE_EXHAUSTED. Default 1,000.</summary>
    public int MaxEventsPerBatch { get; set; } = 1_000;

    /// <summary>Stream rows read from storage per round of WatchProgress. Default 500.</summary>
    public int WatchBatchSize { get; set; } = 500;
}
