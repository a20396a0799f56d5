namespace EventLog.Storage.GuestLogs;

/// <summary>Trove log types.</summary>
public enum GuestLogType
{
    /// <summary>System log, always enabled.</summary>
    Sys = 1,
    /// <summary>User log, enabled and disabled by the user.</summary>
    User = 2,
}
