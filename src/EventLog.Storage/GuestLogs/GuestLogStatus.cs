namespace EventLog.Storage.GuestLogs;

/// <summary>Status machine of a guest log (Trove).</summary>
public enum GuestLogStatus
{
    /// <summary>A user log that is off.</summary>
    Disabled = 1,
    /// <summary>Enabled, nothing written yet.</summary>
    Enabled = 2,
    /// <summary>The log file does not exist on the instance.</summary>
    Unavailable = 3,
    /// <summary>Has data that was not published.</summary>
    Ready = 4,
    /// <summary>Everything is published.</summary>
    Published = 5,
    /// <summary>Part of the data is published; more is pending.</summary>
    Partial = 6,
    /// <summary>The file was rotated; the published data was discarded.</summary>
    Rotated = 7,
    /// <summary>Enabling needs a datastore restart.</summary>
    RestartRequired = 8,
    /// <summary>The agent reported the restart done.</summary>
    RestartCompleted = 9,
}
