using EventLog.V1;

namespace EventLog.Server.Services.GuestLogs;

/// <summary>A command waiting for its agent's result; users waiting on it await <see cref="Completion"/>.</summary>
public sealed class PendingCommand(string instanceId, GuestLogCommand command, DateTime expiresAt)
{
    private readonly TaskCompletionSource<CommandOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Instance whose agent carries it out.</summary>
    public string InstanceId { get; } = instanceId;

    /// <summary>The command as sent to the agent.</summary>
    public GuestLogCommand Command { get; } = command;

    /// <summary>When the command is dropped if no agent took it.</summary>
    public DateTime ExpiresAt { get; } = expiresAt;

    /// <summary>Completes when the agent reports the result.</summary>
    public Task<CommandOutcome> Completion => _completion.Task;

    internal void Complete(CommandOutcome outcome) => _completion.TrySetResult(outcome);
}
