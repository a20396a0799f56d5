using EventLog.V1;

namespace EventLog.Client;

/// <summary>A log the guest agent can publish, as declared to the server when the agent connects.</summary>
public sealed class GuestAgentLog
{
    /// <summary>The log's name, unique per instance, such as <c>guest</c> or <c>slow_query</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The log file on the guest.</summary>
    public required string FilePath { get; init; }

    /// <summary>SYS (always on) or USER (enabled by users). Default: <see cref="GuestLogType.User"/>.</summary>
    public GuestLogType Type { get; init; } = GuestLogType.User;

    /// <summary>Whether the datastore exposes the log to non-admins. Default: true.</summary>
    public bool Exposed { get; init; } = true;

    /// <summary>Whether enabling the log takes effect only after a datastore restart. Default: false.</summary>
    public bool EnableRequiresRestart { get; init; }

    /// <summary>Whether the log is being written now; SYS logs always are. Default: false.</summary>
    public bool Enabled { get; set; }
}
