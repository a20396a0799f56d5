using EventLog.Client.Internal;
using EventLog.V1;

namespace EventLog.Client;

/// <summary>
/// A running task, from <see cref="TaskLogClient.StartAsync(string, string, TaskScopeOptions?, CancellationToken)"/>
/// to its outcome. Log lines are batched and sent in the background; <see cref="CancellationToken"/> fires
/// when someone cancels the task. End it with <see cref="CompleteAsync"/>, <see cref="FailAsync(Exception, CancellationToken)"/>
/// or <see cref="ConfirmCancelledAsync"/>. Disposing it without an outcome confirms the cancellation when one
/// was requested, and otherwise fails the task as abandoned (<see cref="TaskScopeOptions.AbandonedDetailCode"/>).
/// </summary>
/// <remarks>
/// Disposal cannot see an exception leaving an <c>await using</c> block (.NET hands it to no one but the
/// compiler's own catch), so it never guesses one: catch it and call <see cref="FailAsync(Exception, CancellationToken)"/>,
/// or run the work with <see cref="TaskLogClient.RunAsync"/>, to record the exception's detail code.
/// </remarks>
public sealed class TaskScope : IAsyncDisposable
{
    private readonly TaskLogClient _client;
    private readonly TaskScopeOptions _options;
    private readonly TaskLogWriter _log;
    private readonly CancellationTokenSource _cancelled = new();
    private readonly CancellationTokenSource _stopWatch = new();
    private readonly Task _watch;
    private AsyncTask? _outcome;
    private int _disposed;

    internal TaskScope(TaskLogClient client, StartTaskResponse started, TaskScopeOptions options, EventLogRetryOptions retry)
    {
        _client = client;
        _options = options;
        Task = started.Task;
        _log = new TaskLogWriter(client, Id, started.Task.LineCount, options, retry);
        _watch = options.WatchForCancellation ? System.Threading.Tasks.Task.Run(WatchForCancellationAsync) : System.Threading.Tasks.Task.CompletedTask;
    }

    /// <summary>The task's id (the "task ID 100" of the log messages).</summary>
    public long Id => Task.Id;

    /// <summary>The task as last known: at start, then after each progress report or outcome.</summary>
    public AsyncTask Task { get; private set; }

    /// <summary>Fires when someone cancels the task (CancelTask); stop the work and let the scope confirm it.</summary>
    public CancellationToken CancellationToken => _cancelled.Token;

    /// <summary>Whether the task was completed, failed or confirmed cancelled through this scope.</summary>
    public bool IsFinished => _outcome is not null;

    /// <summary>The first error that made log lines be dropped (not retried), or null.</summary>
    public EventLogException? LogError => _log.Error;

    /// <summary>Adds a line to the task's log; it is sent in the background within the flush interval.</summary>
    /// <param name="line">The line, without a trailing newline.</param>
    public void Log(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        _log.Write(line);
    }

    /// <summary>Sends every line logged so far and waits until the server stored them.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _log.FlushAsync(cancellationToken);

    /// <summary>Reports progress; a QUEUED task starts running.</summary>
    /// <param name="percent">Progress, 0 to 100.</param>
    /// <param name="message">The worker's note, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task after the update.</returns>
    public async Task<AsyncTask> ReportProgressAsync(int percent, string? message = null, CancellationToken cancellationToken = default)
    {
        var task = await _client.ReportProgressAsync(Id, percent, message, cancellationToken).ConfigureAwait(false);
        Task = task;
        if (task.CancelRequested)
        {
            TryCancel();
        }
        return task;
    }

    /// <summary>Sends the remaining log lines and marks the task succeeded (status 1001).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task, now SUCCEEDED.</returns>
    public async Task<AsyncTask> CompleteAsync(CancellationToken cancellationToken = default)
    {
        await _log.CloseAsync(cancellationToken).ConfigureAwait(false);
        return Finish(await _client.CompleteTaskAsync(Id, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Sends the remaining log lines and marks the task failed (status 1002) with a catalog detail code.</summary>
    /// <param name="detailCode">The catalog code of the failure, such as <c>KCHVM0001E</c>.</param>
    /// <param name="detailParams">Parameters of the detail template, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task, now FAILED.</returns>
    public async Task<AsyncTask> FailAsync(string detailCode, IReadOnlyDictionary<string, string>? detailParams = null, CancellationToken cancellationToken = default)
    {
        await _log.CloseAsync(cancellationToken).ConfigureAwait(false);
        return Finish(await _client.FailTaskAsync(Id, detailCode, detailParams, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Fails the task with an exception: its own detail code for a <see cref="TaskFailedException"/>,
    /// otherwise <see cref="TaskScopeOptions.UnhandledErrorDetailCode"/> with the exception's type and message as <c>err</c>.
    /// </summary>
    /// <param name="exception">What went wrong.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task, now FAILED.</returns>
    public Task<AsyncTask> FailAsync(Exception exception, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is TaskFailedException failed)
        {
            return FailAsync(failed.DetailCode, failed.DetailParams, cancellationToken);
        }
        var parameters = new Dictionary<string, string> { ["err"] = $"{exception.GetType().Name}: {exception.Message}" };
        return FailAsync(_options.UnhandledErrorDetailCode, parameters, cancellationToken);
    }

    /// <summary>Confirms that the work stopped after a cancel request; the task becomes CANCELLED.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task, now CANCELLED.</returns>
    public async Task<AsyncTask> ConfirmCancelledAsync(CancellationToken cancellationToken = default)
    {
        await _log.CloseAsync(cancellationToken).ConfigureAwait(false);
        return Finish(await _client.ConfirmCancelledAsync(Id, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Records the outcome if none was recorded: the cancellation confirmed when one was requested, otherwise
    /// a failure with <see cref="TaskScopeOptions.AbandonedDetailCode"/>. Never throws: an exception leaving
    /// the block matters more than one recording the outcome.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        using var timeout = new CancellationTokenSource(_options.DisposeTimeout);
        try
        {
            if (_outcome is null)
            {
                if (_cancelled.IsCancellationRequested)
                {
                    await ConfirmCancelledAsync(timeout.Token).ConfigureAwait(false);
                }
                else
                {
                    var parameters = new Dictionary<string, string> { ["err"] = "the task's scope ended without completing it" };
                    await FailAsync(_options.AbandonedDetailCode, parameters, timeout.Token).ConfigureAwait(false);
                }
            }
            else
            {
                await _log.CloseAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is EventLogException or OperationCanceledException)
        {
            DisposeError = ex;
        }
        finally
        {
            _stopWatch.Cancel();
            try
            {
                await _watch.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is EventLogException or OperationCanceledException)
            {
                // The watch only serves the cancellation token.
            }
            _stopWatch.Dispose();
            _cancelled.Dispose();
        }
    }

    /// <summary>Why disposal could not record the outcome (server unreachable within the timeout), or null.</summary>
    public Exception? DisposeError { get; private set; }

    private AsyncTask Finish(AsyncTask task)
    {
        Task = task;
        _outcome = task;
        return task;
    }

    private void TryCancel()
    {
        try
        {
            _cancelled.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task WatchForCancellationAsync()
    {
        await foreach (var task in _client.WatchStateAsync(Id, cancellationToken: _stopWatch.Token).ConfigureAwait(false))
        {
            if (task.CancelRequested || task.State == TaskState.Cancelled)
            {
                TryCancel();
                return;
            }
        }
    }
}
