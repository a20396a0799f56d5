namespace EventLog.Storage.GuestLogs;

/// <summary>
/// The command channel of guest agents, shared by every replica on the database: the commands queued for each
/// instance and which instances have an agent connected. Every change moves the instance's stream
/// (<see cref="StreamKeys.AgentCommands"/>), so whoever waits on it through <see cref="IChangeNotifier"/> wakes:
/// the replica holding the agent's channel for a new command, a user's call for a result.
/// </summary>
public interface IAgentCommandRepository
{
    /// <summary>
    /// Queues a command. A publish of a log that already has one pending joins it (that command is returned).
    /// <see cref="LimitExceededException"/> when the instance already has <paramref name="maxPending"/> pending.
    /// </summary>
    Task<AgentCommand> EnqueueAsync(NewAgentCommand command, int maxPending, CancellationToken cancellationToken = default);

    /// <summary>Pending commands of an instance with a sequence greater than <paramref name="afterSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<AgentCommand>> ReadPendingAsync(string instanceId, long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>Records that the commands were sent to the instance's agent (again).</summary>
    Task MarkDeliveredAsync(string instanceId, IReadOnlyList<string> commandIds, CancellationToken cancellationToken = default);

    /// <summary>A command of the instance, pending or done; null when unknown or reaped.</summary>
    Task<AgentCommand?> GetAsync(string instanceId, string commandId, CancellationToken cancellationToken = default);

    /// <summary>Records the agent's result of a pending command; null when it is not pending (done, expired or unknown).</summary>
    Task<AgentCommand?> CompleteAsync(string instanceId, string commandId, bool succeeded, string? errorMessage, CancellationToken cancellationToken = default);

    /// <summary>Ends a pending command nobody waits for any more: it expires now and is not delivered again.</summary>
    Task ExpireAsync(string instanceId, string commandId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that an agent holds a channel for the instance until <paramref name="leaseExpiresAt"/>, replacing the
    /// channel held before: its next <see cref="RenewAgentAsync"/> returns false.
    /// </summary>
    Task ConnectAgentAsync(string instanceId, string connectionId, DateTime leaseExpiresAt, CancellationToken cancellationToken = default);

    /// <summary>Extends a channel's lease; false when a newer channel replaced it (or its lease was reaped).</summary>
    Task<bool> RenewAgentAsync(string instanceId, string connectionId, DateTime leaseExpiresAt, CancellationToken cancellationToken = default);

    /// <summary>Forgets a channel unless a newer one already replaced it.</summary>
    Task DisconnectAgentAsync(string instanceId, string connectionId, CancellationToken cancellationToken = default);

    /// <summary>Whether an agent holds a channel for the instance whose lease has not run out, on any replica.</summary>
    Task<bool> IsAgentConnectedAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Deletes at most <paramref name="batchSize"/> commands and agent leases expired at <paramref name="now"/>; returns how many.</summary>
    Task<int> ReapExpiredAsync(DateTime now, int batchSize, CancellationToken cancellationToken = default);
}
