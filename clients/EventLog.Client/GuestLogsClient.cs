using EventLog.Client.Internal;
using EventLog.V1;
using Grpc.Core;

namespace EventLog.Client;

/// <summary>
/// Logs published from guest instances (<c>GuestLogsService</c>, Trove's guest logs): users list, enable,
/// publish, tail and save; agents register, receive commands and upload. Get it from
/// <see cref="EventLogClient.GuestLogs"/>.
/// </summary>
public partial class GuestLogsClient
{
    private readonly GuestLogsService.GuestLogsServiceClient _stub;
    private readonly CallRunner _runner;

    internal GuestLogsClient(CallInvoker invoker, CallRunner runner)
    {
        _stub = new GuestLogsService.GuestLogsServiceClient(invoker);
        _runner = runner;
    }

    /// <summary>For mocking only.</summary>
    protected GuestLogsClient()
    {
        _stub = null!;
        _runner = null!;
    }

    internal CallRunner Runner => _runner;

    private string Project => _runner.Options.Project;

    /// <summary>The log catalog of an instance, by name (Trove's <c>log-list</c>).</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The logs visible to the caller.</returns>
    public virtual async Task<IReadOnlyList<GuestLog>> ListLogsAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var logs = new List<GuestLog>();
        await foreach (var log in Pager.ListAsync((token, ct) =>
        {
            var request = new ListLogsRequest { Project = Project, InstanceId = instanceId, PageToken = token };
            return _runner.RunAsync(o => _stub.ListLogsAsync(request, o), Retry.Idempotent, ct);
        }, page => page.Logs, page => page.NextPageToken, cancellationToken).ConfigureAwait(false))
        {
            logs.Add(log);
        }
        return logs;
    }

    /// <summary>One log of an instance (Trove's <c>log-show</c>).</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="logName">The log, such as <c>slow_query</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The log.</returns>
    /// <exception cref="EventLogException">NOT_FOUND for an unknown log, or one not exposed to the caller.</exception>
    public virtual async Task<GuestLog> GetLogAsync(string instanceId, string logName, CancellationToken cancellationToken = default)
    {
        var request = new GetLogRequest { Project = Project, InstanceId = instanceId, LogName = logName };
        var response = await _runner.RunAsync(o => _stub.GetLogAsync(request, o), Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.Log;
    }

    /// <summary>Enables a USER log; it may stay RESTART_REQUIRED until the datastore restarts.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="logName">The log.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The log, ENABLED or RESTART_REQUIRED.</returns>
    /// <exception cref="EventLogException">FAILED_PRECONDITION for a SYS log.</exception>
    public virtual async Task<GuestLog> EnableLogAsync(string instanceId, string logName, CancellationToken cancellationToken = default)
    {
        var request = new EnableLogRequest { Project = Project, InstanceId = instanceId, LogName = logName };
        var response = await _runner.RunAsync(o => _stub.EnableLogAsync(request, o), Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.Log;
    }

    /// <summary>Disables a USER log; published data is kept.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="logName">The log.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The log, DISABLED.</returns>
    /// <exception cref="EventLogException">FAILED_PRECONDITION for a SYS log.</exception>
    public virtual async Task<GuestLog> DisableLogAsync(string instanceId, string logName, CancellationToken cancellationToken = default)
    {
        var request = new DisableLogRequest { Project = Project, InstanceId = instanceId, LogName = logName };
        var response = await _runner.RunAsync(o => _stub.DisableLogAsync(request, o), Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.Log;
    }

    /// <summary>Deletes a log's published data; the next publish starts at offset 0.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="logName">The log.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The log with nothing published.</returns>
    public virtual async Task<GuestLog> DiscardLogAsync(string instanceId, string logName, CancellationToken cancellationToken = default)
    {
        var request = new DiscardLogRequest { Project = Project, InstanceId = instanceId, LogName = logName };
        var response = await _runner.RunAsync(o => _stub.DiscardLogAsync(request, o), Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.Log;
    }

    /// <summary>
    /// Asks the instance's agent to publish a log and waits until it has. Fails at once with UNAVAILABLE
    /// when no agent is connected (not retried: it is an answer, not a lost connection).
    /// </summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="logName">The log.</param>
    /// <param name="timeout">How long to wait for the agent; null for one minute.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The log after the agent published it.</returns>
    public virtual Task<GuestLog> PublishLogAsync(string instanceId, string logName, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        PublishLogAsync(instanceId, logName, disable: false, discard: false, timeout, cancellationToken);

    /// <summary>
    /// Asks the instance's agent to publish a log as Trove's <c>log-publish --disable --discard</c> does, and waits
    /// until it has. Fails at once with UNAVAILABLE when no agent is connected.
    /// </summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="logName">The log.</param>
    /// <param name="disable">Disable the log once it is published (USER logs only: a SYS log is FAILED_PRECONDITION).</param>
    /// <param name="discard">Delete what was published first, then publish the log from offset 0.</param>
    /// <param name="timeout">How long to wait for the agent; null for one minute.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The log after the agent published it (disabled with <paramref name="disable"/>).</returns>
    public virtual async Task<GuestLog> PublishLogAsync(string instanceId, string logName, bool disable, bool discard, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var request = new PublishLogRequest { Project = Project, InstanceId = instanceId, LogName = logName, Disable = disable, Discard = discard };
        var response = await _runner.RunAsync(o => _stub.PublishLogAsync(request, o), Retry.IdempotentUnlessServerUnavailable, cancellationToken, timeout ?? TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        return response.Log;
    }
}
