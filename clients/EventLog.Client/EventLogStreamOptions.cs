namespace EventLog.Client;

/// <summary>
/// Optional hooks of a watch or tail. Streams swallow heartbeats and reconnect on their own; these
/// let a caller see both.
/// </summary>
public sealed class EventLogStreamOptions
{
    /// <summary>Called with the server's clock on every heartbeat (an idle but live stream). Default: null.</summary>
    public Action<DateTimeOffset>? OnHeartbeat { get; set; }

    /// <summary>
    /// Called when the server says the requested position is gone (reaped by retention, compacted, or
    /// the log rotated) with the oldest sequence it still has. Default: null.
    /// </summary>
    public Action<long>? OnReset { get; set; }

    /// <summary>
    /// Guest log tails: called with the number of the log's first stored line when the tail starts, before its
    /// first line, and again when a reconnect finds it moved. Greater than 1 when older lines expired (retention);
    /// when no line is stored, the number the next published line gets. Default: null.
    /// </summary>
    public Action<long>? OnLogStart { get; set; }

    /// <summary>
    /// Called before each reconnect with the error that dropped the stream, the consecutive attempt
    /// number and the pause before it. Default: null.
    /// </summary>
    public Action<EventLogException, int, TimeSpan>? OnReconnecting { get; set; }
}
