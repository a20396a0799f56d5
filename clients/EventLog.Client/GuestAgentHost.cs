using EventLog.V1;
using Grpc.Core;

namespace EventLog.Client;

/// <summary>
/// The guest agent's loop: declares the instance's logs, holds its command channel and carries out
/// enable, disable, publish and discard through a <see cref="GuestAgentHandler"/>, reporting each result.
/// Reconnects with backoff for as long as it runs, re-declaring the logs after each reconnect.
/// <code>await new GuestAgentHost(client.GuestLogs, options).RunAsync(stoppingToken);</code>
/// </summary>
public sealed class GuestAgentHost
{
    private const int RememberedCommands = 1024;
    private readonly GuestLogsClient _client;
    private readonly GuestAgentOptions _options;
    private readonly GuestAgentHandler _handler;
    private readonly Dictionary<string, GuestAgentLog> _logs;
    private readonly Dictionary<string, GuestLogFilePublisher> _publishers;
    private readonly HashSet<string> _done = [];
    private readonly Queue<string> _doneOrder = new();

    /// <summary>Creates the host.</summary>
    /// <param name="client">The guest logs client (with an agent token).</param>
    /// <param name="options">Instance, datastore and logs.</param>
    /// <param name="handler">What to do per command; null for <see cref="GuestAgentHandler"/>'s defaults.</param>
    public GuestAgentHost(GuestLogsClient client, GuestAgentOptions options, GuestAgentHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options;
        _handler = handler ?? new GuestAgentHandler();
        _logs = options.Logs.ToDictionary(l => l.Name, StringComparer.Ordinal);
        _publishers = options.Logs.ToDictionary(l => l.Name, l => new GuestLogFilePublisher(client, options.InstanceId, l.Name, l.FilePath), StringComparer.Ordinal);
    }

    /// <summary>The file publisher of each log, by name.</summary>
    public IReadOnlyDictionary<string, GuestLogFilePublisher> Publishers => _publishers;

    /// <summary>Declares the logs (with their current file sizes) and resumes each publisher from the server's offset.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The catalog as stored.</returns>
    public async Task<IReadOnlyList<GuestLog>> RegisterAsync(CancellationToken cancellationToken = default)
    {
        var request = new RegisterLogsRequest { InstanceId = _options.InstanceId, Datastore = _options.Datastore };
        foreach (var log in _options.Logs)
        {
            var file = new FileInfo(log.FilePath);
            request.Logs.Add(new GuestLogDefinition
            {
                Name = log.Name,
                Type = log.Type,
                File = log.FilePath,
                Exposed = log.Exposed,
                EnableRequiresRestart = log.EnableRequiresRestart,
                Enabled = log.Type == GuestLogType.Sys || log.Enabled,
                FileExists = file.Exists,
                FileSize = file.Exists ? file.Length : 0,
            });
        }
        var catalog = await _client.RegisterLogsAsync(request, cancellationToken).ConfigureAwait(false);
        foreach (var log in catalog)
        {
            if (_publishers.TryGetValue(log.Name, out var publisher))
            {
                publisher.Resume(log);
            }
        }
        return catalog;
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> fires: register, receive commands, carry them out, reconnect.</summary>
    /// <param name="cancellationToken">Stops the agent.</param>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var retry = _client.Runner.Options.Retry;
        for (var failures = 0; !cancellationToken.IsCancellationRequested;)
        {
            try
            {
                await RegisterAsync(cancellationToken).ConfigureAwait(false);
                await foreach (var command in _client.ReceiveCommandsAsync(_options.InstanceId, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    failures = 0;
                    await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (EventLogException ex)
            {
                failures++;
                var pause = retry.Backoff(failures);
                pause = pause < _options.MaxReconnectBackoff ? pause : _options.MaxReconnectBackoff;
                _options.ConnectionFailed?.Invoke(ex, pause);
                try
                {
                    await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ExecuteAsync(GuestLogCommand command, CancellationToken cancellationToken)
    {
        // A command comes again after a reconnect until its result is reported; one already reported is skipped.
        if (_done.Contains(command.Id))
        {
            return;
        }
        Exception? error = null;
        try
        {
            await CarryOutAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            error = ex;
        }
        try
        {
            await _client.ReportCommandResultAsync(_options.InstanceId, command.Id, error is null, error?.Message, cancellationToken).ConfigureAwait(false);
        }
        catch (EventLogException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.FailedPrecondition)
        {
            // Already completed (a publish is completed by the upload naming it) or given up on by the server.
        }
        Remember(command.Id);
        _options.CommandCompleted?.Invoke(command, error);
    }

    private async Task CarryOutAsync(GuestLogCommand command, CancellationToken cancellationToken)
    {
        if (command.Deadline is { } deadline && deadline.ToDateTime() < DateTime.UtcNow)
        {
            throw new TimeoutException($"The {command.Type} command for log '{command.LogName}' arrived after its deadline.");
        }
        if (!_logs.TryGetValue(command.LogName, out var log))
        {
            throw new InvalidOperationException($"This agent has no log named '{command.LogName}'.");
        }
        var publisher = _publishers[log.Name];
        switch (command.Type)
        {
            case GuestLogCommandType.Enable:
                await _handler.EnableLogAsync(log, cancellationToken).ConfigureAwait(false);
                log.Enabled = true;
                break;
            case GuestLogCommandType.Disable:
                await _handler.DisableLogAsync(log, cancellationToken).ConfigureAwait(false);
                log.Enabled = false;
                break;
            case GuestLogCommandType.Publish:
                await _handler.PublishLogAsync(log, publisher, command.Id, cancellationToken).ConfigureAwait(false);
                break;
            case GuestLogCommandType.Discard:
                await _handler.DiscardLogAsync(log, publisher, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new NotSupportedException($"Unknown command type {command.Type}.");
        }
    }

    private void Remember(string commandId)
    {
        if (_done.Add(commandId))
        {
            _doneOrder.Enqueue(commandId);
            if (_doneOrder.Count > RememberedCommands)
            {
                _done.Remove(_doneOrder.Dequeue());
            }
        }
    }
}
