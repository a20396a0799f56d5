using System.Globalization;
using EventLog.V1;
using Google.Protobuf.WellKnownTypes;

namespace EventLog.Cli.Output;

/// <summary>How values read to people: local times, short durations, short enum names.</summary>
internal static class Format
{
    public static string Time(Timestamp? timestamp) =>
        timestamp is null ? "" : timestamp.ToDateTimeOffset().ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Duration(Google.Protobuf.WellKnownTypes.Duration? duration)
    {
        if (duration is null)
        {
            return "";
        }
        var span = duration.ToTimeSpan();
        return span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:00}m{span.Seconds:00}s"
            : span.TotalMinutes >= 1 ? $"{span.Minutes}m{span.Seconds:00}s"
            : $"{span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s";
    }

    public static string State(TaskState state) => state switch
    {
        TaskState.Queued => "QUEUED",
        TaskState.Running => "RUNNING",
        TaskState.Succeeded => "SUCCEEDED",
        TaskState.Failed => "FAILED",
        TaskState.Cancelled => "CANCELLED",
        _ => "",
    };

    public static string Kind(RequestKind kind) => kind == RequestKind.Unspecified ? "" : kind.ToString().ToUpperInvariant();

    public static string Outcome(RequestOutcome outcome) => outcome == RequestOutcome.Unspecified ? "" : outcome.ToString().ToUpperInvariant();

    public static string Level(MessageLevel level) => level == MessageLevel.Unspecified ? "" : level.ToString().ToUpperInvariant();

    public static string LogType(GuestLogType type) => type switch
    {
        GuestLogType.Sys => "SYS",
        GuestLogType.User => "USER",
        _ => "",
    };

    /// <summary>Trove's status names.</summary>
    public static string LogStatus(GuestLogStatus status) => status switch
    {
        GuestLogStatus.Disabled => "Disabled",
        GuestLogStatus.Enabled => "Enabled",
        GuestLogStatus.Unavailable => "Unavailable",
        GuestLogStatus.Ready => "Ready",
        GuestLogStatus.Published => "Published",
        GuestLogStatus.Partial => "Partial",
        GuestLogStatus.Rotated => "Rotated",
        GuestLogStatus.RestartRequired => "Restart Required",
        GuestLogStatus.RestartCompleted => "Restart Completed",
        _ => "",
    };

    public static string StepType(StepType type) => type == V1.StepType.Unspecified ? "" : type.ToString().ToLowerInvariant();

    public static string StepStatus(ProvisionStep step) => step switch
    {
        { Successful: true } => "succeeded",
        { Successful: false } => "failed",
        { StartedAt: null } => "pending",
        { Stalled: true } => "stalled",
        _ => "running",
    };

    public static string Params(IDictionary<string, string> parameters) =>
        string.Join(", ", parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
