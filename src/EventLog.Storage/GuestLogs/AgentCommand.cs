namespace EventLog.Storage.GuestLogs;

/// <summary>
/// A stored command for an instance's guest agent. It is pending until the agent reports its result or it
/// expires; a pending command is delivered again on every new connection of the agent, on any replica.
/// </summary>
public sealed record AgentCommand
{
    /// <summary>Id the agent reports the result with.</summary>
    public string CommandId { get; init; } = "";
    public string InstanceId { get; init; } = "";

    /// <summary>Position in the instance's queue (<see cref="StreamKeys.AgentCommands"/>): commit order, from 1.</summary>
    public long Seq { get; init; }
    public AgentCommandType CommandType { get; init; }
    public string LogName { get; init; } = "";
    public DateTime CreatedAt { get; init; }

    /// <summary>When the command stops being pending if no result came.</summary>
    public DateTime ExpiresAt { get; init; }

    /// <summary>When it was last sent to an agent; null while never sent.</summary>
    public DateTime? DeliveredAt { get; init; }

    /// <summary>How many times it was sent (more than once after a reconnect).</summary>
    public int Deliveries { get; init; }

    /// <summary>When the agent reported the result; null while pending.</summary>
    public DateTime? CompletedAt { get; init; }

    /// <summary>The agent's result; null while pending.</summary>
    public bool? Succeeded { get; init; }

    /// <summary>The agent's reason for a failure.</summary>
    public string? ErrorMessage { get; init; }
}
