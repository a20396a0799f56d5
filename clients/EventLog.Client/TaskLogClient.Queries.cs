using System.Runtime.CompilerServices;
using EventLog.Client.Internal;
using EventLog.V1;
using Grpc.Core;

namespace EventLog.Client;

public partial class TaskLogClient
{
    /// <summary>Reads one task, with its duration and rendered failure detail.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task.</returns>
    /// <exception cref="EventLogException">NOT_FOUND when there is no such task in the project.</exception>
    public virtual async Task<AsyncTask> GetTaskAsync(long taskId, CancellationToken cancellationToken = default)
    {
        var request = new GetTaskRequest { Project = Project, TaskId = taskId, Locale = Locale };
        var response = await _runner.RunAsync(o => _stub.GetTaskAsync(request, o), Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.Task;
    }

    /// <summary>Lists tasks, newest first, fetching pages as the caller enumerates.</summary>
    /// <param name="filter">State, app, target prefix and creation range; null lists all. Its page fields are ignored.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The tasks.</returns>
    public virtual IAsyncEnumerable<AsyncTask> ListTasksAsync(ListTasksRequest? filter = null, CancellationToken cancellationToken = default)
    {
        var template = filter?.Clone() ?? new ListTasksRequest();
        return Pager.ListAsync((token, ct) =>
        {
            var request = template.Clone();
            request.PageToken = token;
            return ListTasksPageAsync(request, ct);
        }, page => page.Tasks, page => page.NextPageToken, cancellationToken);
    }

    /// <summary>Reads one page of tasks; pass the previous page's <see cref="ListTasksResponse.NextPageToken"/> to go on.</summary>
    /// <param name="request">Filters, page size and token; its project defaults to the client's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public virtual Task<ListTasksResponse> ListTasksPageAsync(ListTasksRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request.Clone();
        request.Project = OrDefault(request.Project);
        request.Locale = string.IsNullOrEmpty(request.Locale) ? Locale : request.Locale;
        return _runner.RunAsync(o => _stub.ListTasksAsync(request, o), Retry.Idempotent, cancellationToken);
    }

    /// <summary>The QUEUED or RUNNING task of a target (contiv's <c>job get active</c>).</summary>
    /// <param name="targetUri">The target, matched exactly.</param>
    /// <param name="app">The app, when targets of several apps share a URI; null for any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The active task.</returns>
    /// <exception cref="EventLogException">NOT_FOUND when the target has no active task.</exception>
    public virtual async Task<AsyncTask> GetActiveTaskAsync(string targetUri, string? app = null, CancellationToken cancellationToken = default)
    {
        var request = new GetActiveTaskRequest { Project = Project, TargetUri = targetUri, App = app ?? "" };
        var response = await _runner.RunAsync(o => _stub.GetActiveTaskAsync(request, o), Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.Task;
    }

    /// <summary>The most recently finished task of a target (contiv's <c>job get last</c>).</summary>
    /// <param name="targetUri">The target, matched exactly.</param>
    /// <param name="app">The app, when targets of several apps share a URI; null for any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The last finished task.</returns>
    /// <exception cref="EventLogException">NOT_FOUND when no task of the target has finished.</exception>
    public virtual async Task<AsyncTask> GetLastTaskAsync(string targetUri, string? app = null, CancellationToken cancellationToken = default)
    {
        var request = new GetLastTaskRequest { Project = Project, TargetUri = targetUri, App = app ?? "", Locale = Locale };
        var response = await _runner.RunAsync(o => _stub.GetLastTaskAsync(request, o), Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.Task;
    }

    /// <summary>
    /// Waits until a task reaches a final state, by long-polling the server (each poll bounded by a minute,
    /// polls survive server restarts).
    /// </summary>
    /// <param name="taskId">The task.</param>
    /// <param name="timeout">How long to wait in all; null waits until the task ends or the token is cancelled.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The task in its final state.</returns>
    /// <exception cref="EventLogException">DEADLINE_EXCEEDED when the task is still running after <paramref name="timeout"/>.</exception>
    public virtual async Task<AsyncTask> WaitTaskAsync(long taskId, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var request = new WaitTaskRequest { Project = Project, TaskId = taskId, Locale = Locale };
        var giveUpAt = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        var poll = TimeSpan.FromMinutes(1);
        while (true)
        {
            var remaining = giveUpAt - DateTime.UtcNow;
            var thisPoll = remaining < poll ? remaining : poll;
            if (thisPoll <= TimeSpan.Zero)
            {
                throw new EventLogException(StatusCode.DeadlineExceeded, $"Task {taskId} did not finish within {timeout}.", "DEADLINE_EXCEEDED");
            }
            try
            {
                var response = await _runner.RunAsync(o => _stub.WaitTaskAsync(request, o), Retry.Idempotent, cancellationToken, thisPoll).ConfigureAwait(false);
                return response.Task;
            }
            catch (EventLogException ex) when (ex.StatusCode == StatusCode.DeadlineExceeded)
            {
                // The poll ended with the task still running; poll again until the caller's timeout.
            }
        }
    }

    /// <summary>
    /// Watches a task's state: the current snapshot, then one per change, until a final state. Resumes
    /// after the last version seen if the connection drops; heartbeats go to <paramref name="streamOptions"/>.
    /// </summary>
    /// <param name="taskId">The task.</param>
    /// <param name="streamOptions">Heartbeat, reset and reconnect hooks, or null.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    /// <returns>Task snapshots in version order.</returns>
    public virtual async IAsyncEnumerable<AsyncTask> WatchStateAsync(long taskId, EventLogStreamOptions? streamOptions = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var cursor = new TaskStateCursor(_stub, Project, taskId, streamOptions);
        await foreach (var response in ResumableStream.RunAsync(cursor, _runner.Options, streamOptions, cancellationToken).ConfigureAwait(false))
        {
            yield return response.Task;
        }
    }

    /// <summary>
    /// Reads a task's log lines after <paramref name="afterLine"/>; with <paramref name="follow"/>, keeps
    /// reading new lines until the task ends. Survives dropped connections and server restarts with no gap
    /// and no duplicate line.
    /// </summary>
    /// <param name="taskId">The task.</param>
    /// <param name="afterLine">Lines numbered above this are read; 0 reads from the first line.</param>
    /// <param name="follow">Keep streaming until the task reaches a final state.</param>
    /// <param name="streamOptions">Heartbeat, reset and reconnect hooks, or null.</param>
    /// <param name="cancellationToken">Stops the tail.</param>
    /// <returns>The lines in order.</returns>
    public virtual async IAsyncEnumerable<TaskLogLine> TailLogAsync(long taskId, long afterLine = 0, bool follow = false, EventLogStreamOptions? streamOptions = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var cursor = new TaskLogCursor(_stub, Project, taskId, afterLine, follow, streamOptions);
        await foreach (var response in ResumableStream.RunAsync(cursor, _runner.Options, streamOptions, cancellationToken).ConfigureAwait(false))
        {
            if (response.UpdateCase != TailTaskLogResponse.UpdateOneofCase.Lines)
            {
                continue;
            }
            var number = response.Lines.FirstLineNumber;
            foreach (var text in response.Lines.Lines)
            {
                yield return new TaskLogLine(number++, text);
            }
        }
    }

    /// <summary>Lists request entries, newest first unless <paramref name="oldestFirst"/>, fetching pages as the caller enumerates.</summary>
    /// <param name="filter">App, kind, status, outcome, user, IP, time range, task...; null lists all.</param>
    /// <param name="oldestFirst">Sort oldest first.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The entries, with text rendered in the client's locale.</returns>
    public virtual IAsyncEnumerable<RequestEntry> ListRequestsAsync(RequestFilter? filter = null, bool oldestFirst = false, CancellationToken cancellationToken = default) =>
        Pager.ListAsync((token, ct) => ListRequestsPageAsync(new ListRequestsRequest
        {
            Filter = filter?.Clone() ?? new RequestFilter(),
            OldestFirst = oldestFirst,
            PageToken = token,
        }, ct), page => page.Entries, page => page.NextPageToken, cancellationToken);

    /// <summary>Reads one page of request entries.</summary>
    /// <param name="request">Filter, order, page size and token; project and locale default to the client's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public virtual Task<ListRequestsResponse> ListRequestsPageAsync(ListRequestsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request.Clone();
        request.Project = OrDefault(request.Project);
        request.Locale = string.IsNullOrEmpty(request.Locale) ? Locale : request.Locale;
        return _runner.RunAsync(o => _stub.ListRequestsAsync(request, o), Retry.Idempotent, cancellationToken);
    }

    /// <summary>The last <paramref name="limit"/> request entries across apps and nodes, newest first.</summary>
    /// <param name="limit">How many; 0 means 50, at most 1000.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    public virtual async Task<IReadOnlyList<RequestEntry>> GetTimelineAsync(int limit = 0, CancellationToken cancellationToken = default)
    {
        return await GetTimelineAsync(new GetTimelineRequest { Limit = limit }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The last request entries, newest first, as the request asks: how many, and of which node.</summary>
    /// <param name="request">Limit and node; project and locale default to the client's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    public virtual async Task<IReadOnlyList<RequestEntry>> GetTimelineAsync(GetTimelineRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request.Clone();
        request.Project = OrDefault(request.Project);
        request.Locale = string.IsNullOrEmpty(request.Locale) ? Locale : request.Locale;
        var response = await _runner.RunAsync(o => _stub.GetTimelineAsync(request, o), Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.Entries;
    }

    /// <summary>
    /// Exports request entries, oldest first, as text lines in the Kimchi log format
    /// (<c>[2016-08-12 11:49:55 BRT] TASK 1002 kimchi Failure on ...</c>). Resumes after the last batch if
    /// the connection drops.
    /// </summary>
    /// <param name="filter">Which entries; null exports all.</param>
    /// <param name="timeZone">IANA zone the times are rendered in, such as <c>America/Sao_Paulo</c>; null for UTC.</param>
    /// <param name="streamOptions">Reconnect hook, or null.</param>
    /// <param name="cancellationToken">Stops the export.</param>
    /// <returns>The lines, without trailing newlines.</returns>
    public virtual async IAsyncEnumerable<string> ExportRequestsAsync(RequestFilter? filter = null, string? timeZone = null, EventLogStreamOptions? streamOptions = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new ExportRequestsRequest { Project = Project, Filter = filter?.Clone() ?? new RequestFilter(), TimeZone = timeZone ?? "", Locale = Locale };
        var cursor = new ExportCursor(_stub, request);
        await foreach (var response in ResumableStream.RunAsync(cursor, _runner.Options, streamOptions, cancellationToken).ConfigureAwait(false))
        {
            foreach (var line in response.Lines)
            {
                yield return line;
            }
        }
    }
}
