using EventLog.Client.Internal;
using EventLog.V1;

namespace EventLog.Client;

/// <summary>
/// A running task, from <see cref="TaskLogClient.StartAsync(string, string, TaskScopeOptions?, CancellationToken)"/>
/// to its outcome. Log lines are batched and sent in the background; <see cref="CancellationToken"/> fires
/// when someone cancels the task. End it with <see cref="CompleteAsync"/>; disposing it otherwise fails
/// the task, with the detail code of the exception that left the <c>await using</c> block when there was one
/// (a <see cref="TaskFailedException"/> carries its own code), or confirms the cancellation when the
/// exception is an <see cref="OperationCanceledException"/> after a cancel request.
/// </summary>
public sealed class TaskScope : IAsyncDisposable
{
    private readonly TaskLogClient _client;
    private readonly TaskScopeOptions _options;
    private readonly ExceptionTracker _tracker;
    private readonly TaskLogWriter _log;
    private readonly CancellationTokenSource _cancelled = new();
    private readonly CancellationTokenSource _stopWatch = new();
    private readonly Task _watch;
    private AsyncTask? _outcome;
    private int _disposed;

    internal TaskScope(TaskLogClient client, StartTaskResponse started, TaskScopeOptions options, EventLogRetryOptions retry, ExceptionTracker tracker)
    {
        _client = client;
        _options = options;
        _tracker = tracker;
        Task = started.Task;
        _log = new TaskLogWriter(client, Id, started.Task.LineCount, options, retry);
        _watch = options.WatchForCancellation ? ExceptionTracker.RunUntracked(WatchForCancellationAsync) : System.Threading.Tasks.Task.CompletedTask;
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
    /// Records the outcome if none was recorded: the exception that left the scope's block (cancellation
    /// confirmed, or failure with its detail code), or <see cref="TaskScopeOptions.AbandonedDetailCode"/>.
    /// Never throws: the exception leaving the block matters more than one recording it.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        // Read before doing anything that may throw and catch exceptions of its own.
        var exception = _tracker.Last;
        _tracker.Close();
        using var timeout = new CancellationTokenSource(_options.DisposeTimeout);
        try
        {
            if (_outcome is null)
            {
                if (exception is OperationCanceledException && _cancelled.IsCancellationRequested)
                {
                    await ConfirmCancelledAsync(timeout.Token).ConfigureAwait(false);
                }
                else if (exception is not null)
                {
                    await FailAsync(exception, timeout.Token).ConfigureAwait(false);
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
