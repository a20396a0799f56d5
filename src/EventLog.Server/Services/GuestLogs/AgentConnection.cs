namespace EventLog.Server.Services.GuestLogs;

/// <summary>
/// One open AgentCommands stream of an instance. It takes the instance's pending commands it has not sent yet
/// and waits for new ones; <see cref="Replaced"/> fires when a newer stream of the same instance takes over.
/// </summary>
public sealed class AgentConnection : IDisposable
{
    private readonly CancellationTokenSource _replaced = new();
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly HashSet<string> _sent = new(StringComparer.Ordinal);

    internal AgentConnection(string instanceId) => InstanceId = instanceId;

    /// <summary>The agent's instance.</summary>
    public string InstanceId { get; }

    /// <summary>Fires when another stream of the same instance replaces this one.</summary>
    public CancellationToken Replaced => _replaced.Token;

    /// <summary>Of <paramref name="pending"/>, the commands this stream has not sent yet, marked sent.</summary>
    internal List<PendingCommand> TakeUnsent(IEnumerable<PendingCommand> pending) => [.. pending.Where(p => _sent.Add(p.Command.Id))];

    /// <summary>Waits until a command may be waiting; false after <paramref name="timeout"/> with nothing new.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    internal void Signal()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled by a concurrent enqueue: one wake-up takes every new command.
        }
    }

    internal void Replace()
    {
        try
        {
            _replaced.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The stream already ended on its own.
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _replaced.Dispose();
        _signal.Dispose();
    }
}
