using EventLog.Client.Internal;
using EventLog.V1;

namespace EventLog.Client;

public partial class TaskLogClient
{
    /// <summary>
    /// Starts a task and returns its scope: <c>await using var task = await client.Tasks.StartAsync("kimchi", "/vms/a/clone");</c>
    /// then <see cref="TaskScope.Log"/>, <see cref="TaskScope.ReportProgressAsync"/> and <see cref="TaskScope.CompleteAsync"/>.
    /// Leaving the block without an outcome fails the task as abandoned; to fail it with an exception's detail
    /// code, catch the exception and call <see cref="TaskScope.FailAsync(Exception, CancellationToken)"/>, or use
    /// <see cref="RunAsync"/>.
    /// </summary>
    /// <param name="app">The app or plugin running the task, such as <c>kimchi</c>.</param>
    /// <param name="targetUri">The resource the task works on, such as <c>/plugins/kimchi/vms/name/clone</c>.</param>
    /// <param name="options">Spawning request, batching and failure codes; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running task's scope.</returns>
    public virtual async Task<TaskScope> StartAsync(string app, string targetUri, TaskScopeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(app);
        ArgumentException.ThrowIfNullOrEmpty(targetUri);
        options ??= new TaskScopeOptions();
        var started = await StartTaskAsync(new StartTaskRequest
        {
            App = app,
            TargetUri = targetUri,
            SpawningRequestId = options.SpawningRequestId ?? "",
            RequestId = RequestIds.OrNew(options.RequestId),
            Queued = options.Queued,
        }, cancellationToken).ConfigureAwait(false);
        return new TaskScope(this, started, options, _runner.Options.Retry);
    }

    /// <summary>
    /// Runs <paramref name="work"/> as a task: completes it when the delegate returns, fails it with the
    /// exception's detail code when it throws (and rethrows), confirms the cancellation when it stops with
    /// an <see cref="OperationCanceledException"/> after a cancel request.
    /// </summary>
    /// <param name="app">The app or plugin running the task.</param>
    /// <param name="targetUri">The resource the task works on.</param>
    /// <param name="work">The work; its token fires when the task is cancelled or <paramref name="cancellationToken"/> fires.</param>
    /// <param name="options">Spawning request, batching and failure codes; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the work and the calls.</param>
    /// <returns>The task in its final state.</returns>
    public virtual async Task<AsyncTask> RunAsync(string app, string targetUri, Func<TaskScope, CancellationToken, Task> work, TaskScopeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var task = await StartAsync(app, targetUri, options, cancellationToken).ConfigureAwait(false);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, task.CancellationToken);
        try
        {
            await work(task, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (task.CancellationToken.IsCancellationRequested)
        {
            return await task.ConfirmCancelledAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await task.FailAsync(ex, cancellationToken).ConfigureAwait(false);
            throw;
        }
        return await task.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
