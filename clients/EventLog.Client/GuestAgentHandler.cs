namespace EventLog.Client;

/// <summary>
/// What a guest agent does for each command it receives; override the parts that touch the datastore.
/// The defaults publish and discard with the log's <see cref="GuestLogFilePublisher"/> and treat enable and
/// disable as done. Throw to report the command as failed (the message reaches the waiting user).
/// </summary>
public class GuestAgentHandler
{
    /// <summary>Starts writing a log (e.g. turns on MySQL's slow query log).</summary>
    /// <param name="log">The log.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public virtual Task EnableLogAsync(GuestAgentLog log, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops writing a log.</summary>
    /// <param name="log">The log.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public virtual Task DisableLogAsync(GuestAgentLog log, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Publishes a log: by default uploads the new complete lines of its file.</summary>
    /// <param name="log">The log.</param>
    /// <param name="publisher">The log's incremental file publisher.</param>
    /// <param name="commandId">The publish command being carried out.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public virtual async Task PublishLogAsync(GuestAgentLog log, GuestLogFilePublisher publisher, string commandId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        if (await publisher.PublishAsync(commandId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new FileNotFoundException($"The log file '{publisher.FilePath}' does not exist.", publisher.FilePath);
        }
    }

    /// <summary>Forgets a log's published offset after the server deleted its data.</summary>
    /// <param name="log">The log.</param>
    /// <param name="publisher">The log's incremental file publisher.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public virtual Task DiscardLogAsync(GuestAgentLog log, GuestLogFilePublisher publisher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        publisher.Reset();
        return Task.CompletedTask;
    }
}
