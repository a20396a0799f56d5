using EventLog.V1;

namespace EventLog.Client;

/// <summary>Settings of a <see cref="GuestAgentHost"/>.</summary>
public sealed class GuestAgentOptions
{
    /// <summary>The agent's instance. Required.</summary>
    public required string InstanceId { get; init; }

    /// <summary>The instance's datastore, such as <c>mysql</c> (selects the exposure allow-list). Required.</summary>
    public required string Datastore { get; init; }

    /// <summary>Every log the agent can publish. Required.</summary>
    public required IReadOnlyList<GuestAgentLog> Logs { get; init; }

    /// <summary>The longest pause between two reconnects of the command channel. Default: 30 seconds.</summary>
    public TimeSpan MaxReconnectBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Called after each command was carried out (null error) or failed, once its result was reported. Default: null.</summary>
    public Action<GuestLogCommand, Exception?>? CommandCompleted { get; init; }

    /// <summary>Called when the command channel or registration fails and the agent backs off. Default: null.</summary>
    public Action<Exception, TimeSpan>? ConnectionFailed { get; init; }
}
