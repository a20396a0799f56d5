using EventLog.Client.Internal;
using EventLog.V1;
using Grpc.Core;

namespace EventLog.Client;

/// <summary>
/// The user request log and asynchronous tasks (<c>TaskLogService</c>): record requests, run tasks,
/// query, tail and export. Get it from <see cref="EventLogClient.Tasks"/>. Writes carry request ids or
/// line numbers, so they are retried safely after transport failures.
/// </summary>
public partial class TaskLogClient
{
    private readonly TaskLogService.TaskLogServiceClient _stub;
    private readonly CallRunner _runner;

    internal TaskLogClient(CallInvoker invoker, CallRunner runner)
    {
        _stub = new TaskLogService.TaskLogServiceClient(invoker);
        _runner = runner;
    }

    /// <summary>For mocking only.</summary>
    protected TaskLogClient()
    {
        _stub = null!;
        _runner = null!;
    }

    private string Project => _runner.Options.Project;

    private string Locale => _runner.Options.Locale;

    /// <summary>
    /// Records one user request. Idempotent on <see cref="RecordRequestRequest.RequestId"/> (generated when
    /// empty): a retry returns the entry stored first.
    /// </summary>
    /// <param name="request">The entry; its project defaults to the client's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored entry.</returns>
    public virtual async Task<RequestEntry> RecordRequestAsync(RecordRequestRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request.Clone();
        request.Project = OrDefault(request.Project);
        request.RequestId = RequestIds.OrNew(request.RequestId);
        var response = await _runner.RunAsync(o => _stub.RecordRequestAsync(request, o), Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.Entry;
    }

    /// <summary>
    /// Starts a task and records its "started" entry (status 1000). Idempotent on
    /// <see cref="StartTaskRequest.RequestId"/> (generated when empty, reused by retries).
    /// Prefer <see cref="StartAsync(string, string, TaskScopeOptions?, CancellationToken)"/>, which also
    /// completes or fails the task.
    /// </summary>
    /// <param name="request">What the task is; its project defaults to the client's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task and its "started" entry.</returns>
    public virtual Task<StartTaskResponse> StartTaskAsync(StartTaskRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request.Clone();
        request.Project = OrDefault(request.Project);
        request.RequestId = RequestIds.OrNew(request.RequestId);
        return _runner.RunAsync(o => _stub.StartTaskAsync(request, o), Retry.Idempotent, cancellationToken);
    }

    /// <summary>Reports a task's progress; a QUEUED task starts running.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="percent">Progress, 0 to 100.</param>
    /// <param name="message">The worker's note, such as <c>copying disk 2 of 3</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task after the update (check <see cref="AsyncTask.CancelRequested"/>).</returns>
    public virtual async Task<AsyncTask> ReportProgressAsync(long taskId, int percent, string? message = null, CancellationToken cancellationToken = default)
    {
        var request = new ReportTaskProgressRequest { Project = Project, TaskId = taskId, ProgressPercent = percent, ProgressMessage = message ?? "" };
        var response = await _runner.RunAsync(o => _stub.ReportTaskProgressAsync(request, o), Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.Task;
    }

    /// <summary>
    /// Appends log lines to a task in one client-streaming call. With <paramref name="firstLineNumber"/>
    /// set, a resent batch is harmless (stored lines are skipped), so the call is retried.
    /// </summary>
    /// <param name="taskId">The task.</param>
    /// <param name="lines">The lines, without trailing newlines.</param>
    /// <param name="firstLineNumber">The 1-based number of the first line, or 0 to append at the end (not retried).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Lines stored and the log's new line count.</returns>
    public virtual Task<AppendTaskLogResponse> AppendLogAsync(long taskId, IReadOnlyList<string> lines, long firstLineNumber = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var batches = TaskLogBatches.Split(lines, firstLineNumber);
        return _runner.RunAttemptsAsync(async o =>
        {
            using var call = _stub.AppendTaskLog(o);
            return await ClientStreamCalls.SendAsync(call, async requests =>
            {
                var first = true;
                foreach (var (number, batch) in batches)
                {
                    var message = new AppendTaskLogRequest { TaskId = taskId, FirstLineNumber = number };
                    if (first)
                    {
                        message.Project = Project;
                        first = false;
                    }
                    message.Lines.AddRange(batch);
                    await requests.WriteAsync(message, o.CancellationToken).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        }, firstLineNumber > 0 ? Retry.Idempotent : Retry.Never, cancellationToken);
    }

    /// <summary>Marks a task succeeded (status 1001). Completing a succeeded task returns it.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task, now SUCCEEDED.</returns>
    public virtual async Task<AsyncTask> CompleteTaskAsync(long taskId, CancellationToken cancellationToken = default)
    {
        var request = new CompleteTaskRequest { Project = Project, TaskId = taskId };
        var response = await _runner.RunAsync(o => _stub.CompleteTaskAsync(request, o), Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.Task;
    }

    /// <summary>Marks a task failed (status 1002) with a catalog detail code such as <c>KCHVM0001E</c>.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="detailCode">The catalog code of the failure.</param>
    /// <param name="detailParams">Parameters of the detail template, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task, now FAILED.</returns>
    public virtual async Task<AsyncTask> FailTaskAsync(long taskId, string detailCode, IReadOnlyDictionary<string, string>? detailParams = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(detailCode);
        var request = new FailTaskRequest { Project = Project, TaskId = taskId, DetailCode = detailCode };
        if (detailParams is not null)
        {
            foreach (var (key, value) in detailParams)
            {
                request.DetailParams[key] = value;
            }
        }
        var response = await _runner.RunAsync(o => _stub.FailTaskAsync(request, o), Retry.Idempotent, cancellationToken,
            recoverAfterRetry: failure => RecoverFinalStateAsync<FailTaskResponse>(failure, taskId, TaskState.Failed, t => new FailTaskResponse { Task = t }, cancellationToken)).ConfigureAwait(false);
        return response.Task;
    }

    /// <summary>Asks the worker running a task to cancel it (it learns through <see cref="WatchStateAsync"/>).</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task with <see cref="AsyncTask.CancelRequested"/> set (a QUEUED task is cancelled at once).</returns>
    public virtual async Task<AsyncTask> CancelTaskAsync(long taskId, CancellationToken cancellationToken = default)
    {
        var request = new CancelTaskRequest { Project = Project, TaskId = taskId };
        var response = await _runner.RunAsync(o => _stub.CancelTaskAsync(request, o), Retry.Idempotent, cancellationToken,
            recoverAfterRetry: failure => RecoverFinalStateAsync<CancelTaskResponse>(failure, taskId, TaskState.Cancelled, t => new CancelTaskResponse { Task = t }, cancellationToken)).ConfigureAwait(false);
        return response.Task;
    }

    /// <summary>Confirms, as the worker, that a task whose cancellation was requested has stopped.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task, now CANCELLED.</returns>
    public virtual async Task<AsyncTask> ConfirmCancelledAsync(long taskId, CancellationToken cancellationToken = default)
    {
        var request = new ConfirmTaskCancelledRequest { Project = Project, TaskId = taskId };
        var response = await _runner.RunAsync(o => _stub.ConfirmTaskCancelledAsync(request, o), Retry.Idempotent, cancellationToken,
            recoverAfterRetry: failure => RecoverFinalStateAsync<ConfirmTaskCancelledResponse>(failure, taskId, TaskState.Cancelled, t => new ConfirmTaskCancelledResponse { Task = t }, cancellationToken)).ConfigureAwait(false);
        return response.Task;
    }

    /// <summary>
    /// A resent final-state write whose first attempt was applied fails with FAILED_PRECONDITION; when the
    /// task is in the state we asked for, that first attempt is the answer.
    /// </summary>
    private async Task<T?> RecoverFinalStateAsync<T>(EventLogException failure, long taskId, TaskState wanted, Func<AsyncTask, T> wrap, CancellationToken cancellationToken)
        where T : class
    {
        if (failure.StatusCode != StatusCode.FailedPrecondition)
        {
            return null;
        }
        var task = await GetTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
        return task.State == wanted ? wrap(task) : null;
    }

    private string OrDefault(string project) => string.IsNullOrEmpty(project) ? Project : project;
}
