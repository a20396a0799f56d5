using System.Runtime.CompilerServices;
using EventLog.Client.Internal;
using EventLog.V1;
using Grpc.Core;

namespace EventLog.Client;

/// <summary>
/// Cluster provisioning progress (<c>ProvisioningService</c>, Sahara's event log): declare a plan of
/// steps, report per-instance events, read and watch progress. Get it from <see cref="EventLogClient.Provisioning"/>.
/// </summary>
public class ProvisioningClient
{
    private readonly ProvisioningService.ProvisioningServiceClient _stub;
    private readonly CallRunner _runner;

    internal ProvisioningClient(CallInvoker invoker, CallRunner runner)
    {
        _stub = new ProvisioningService.ProvisioningServiceClient(invoker);
        _runner = runner;
    }

    /// <summary>For mocking only.</summary>
    protected ProvisioningClient()
    {
        _stub = null!;
        _runner = null!;
    }

    private string Project => _runner.Options.Project;

    /// <summary>
    /// Declares the ordered steps of a cluster operation and returns a reporter for them:
    /// <c>var plan = await client.Provisioning.BeginAsync("c1", StepType.Creating, ["Launching instances", "Waiting for ssh"]);</c>
    /// </summary>
    /// <param name="clusterId">The cluster being provisioned.</param>
    /// <param name="stepType">Creating, scaling or deleting.</param>
    /// <param name="stepNames">The step names in the order they will run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The plan, to start its steps.</returns>
    public virtual async Task<ProvisioningPlan> BeginAsync(string clusterId, StepType stepType, IEnumerable<string> stepNames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stepNames);
        var request = new DeclarePlanRequest { ClusterId = clusterId, StepType = stepType };
        request.Steps.AddRange(stepNames.Select(name => new PlannedStep { Name = name }));
        var steps = await DeclarePlanAsync(request, cancellationToken).ConfigureAwait(false);
        return new ProvisioningPlan(this, clusterId, steps);
    }

    /// <summary>
    /// Declares the step list <paramref name="plugin"/> registered for <paramref name="stepType"/> (see
    /// <see cref="RegisterStepListAsync"/>) and returns a reporter for its steps; NOT_FOUND when it registered none.
    /// </summary>
    /// <param name="clusterId">The cluster being provisioned.</param>
    /// <param name="stepType">Creating, scaling or deleting.</param>
    /// <param name="plugin">The plugin whose registered list is declared, such as <c>vanilla</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The plan, to start its steps.</returns>
    public virtual async Task<ProvisioningPlan> BeginFromPluginAsync(string clusterId, StepType stepType, string plugin, CancellationToken cancellationToken = default)
    {
        var request = new DeclarePlanRequest { ClusterId = clusterId, StepType = stepType, Plugin = plugin };
        var steps = await DeclarePlanAsync(request, cancellationToken).ConfigureAwait(false);
        return new ProvisioningPlan(this, clusterId, steps);
    }

    /// <summary>
    /// Registers a plugin's step list for one step type, once per project. Registering the same list again
    /// returns it (<see cref="RegisterStepListResponse.Created"/> false), so a plugin may register at every
    /// start; a different list for the same plugin and step type is ALREADY_EXISTS.
    /// </summary>
    /// <param name="plugin">The plugin, such as <c>vanilla</c>.</param>
    /// <param name="stepType">Creating, scaling or deleting.</param>
    /// <param name="steps">The steps in the order they run, with the events each expects (0 if not known).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The registered list and whether this call stored it.</returns>
    public virtual Task<RegisterStepListResponse> RegisterStepListAsync(string plugin, StepType stepType, IEnumerable<PlannedStep> steps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var request = new RegisterStepListRequest { Project = Project, Plugin = plugin, StepType = stepType };
        request.Steps.AddRange(steps);
        return _runner.RunAsync(o => _stub.RegisterStepListAsync(request, o), Retry.Idempotent, cancellationToken);
    }

    /// <summary>Declares the ordered steps of a cluster operation. Idempotent on its request id (generated when empty).</summary>
    /// <param name="request">The plan; project defaults to the client's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The declared steps with their ids, in plan order.</returns>
    public virtual async Task<IReadOnlyList<ProvisionStep>> DeclarePlanAsync(DeclarePlanRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request.Clone();
        request.Project = string.IsNullOrEmpty(request.Project) ? Project : request.Project;
        request.RequestId = RequestIds.OrNew(request.RequestId);
        var response = await _runner.RunAsync(o => _stub.DeclarePlanAsync(request, o), Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.Steps;
    }

    /// <summary>Starts a declared step; starting a started step returns it.</summary>
    /// <param name="stepId">The step.</param>
    /// <param name="total">Events expected (one per instance); 0 keeps the declared total.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The running step.</returns>
    public virtual async Task<ProvisionStep> StartStepAsync(string stepId, long total = 0, CancellationToken cancellationToken = default)
    {
        var request = new StartStepRequest { Project = Project, StepId = stepId, Total = total };
        var response = await _runner.RunAsync(o => _stub.StartStepAsync(request, o), Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.Step;
    }

    /// <summary>Records per-instance events under a running step; the first failed event fails the step. Retried safely (one request id per batch).</summary>
    /// <param name="stepId">The running step.</param>
    /// <param name="events">The events, in order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The step after the batch and the stored events.</returns>
    public virtual Task<RecordEventsResponse> RecordEventsAsync(string stepId, IEnumerable<ProvisionEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var request = new RecordEventsRequest { Project = Project, StepId = stepId, RequestId = RequestIds.New() };
        request.Events.AddRange(events);
        return _runner.RunAsync(o => _stub.RecordEventsAsync(request, o), Retry.Idempotent, cancellationToken);
    }

    /// <summary>Finishes a step: successful unless one of its events failed.</summary>
    /// <param name="stepId">The step.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The finished step.</returns>
    public virtual async Task<ProvisionStep> CompleteStepAsync(string stepId, CancellationToken cancellationToken = default)
    {
        var request = new CompleteStepRequest { Project = Project, StepId = stepId };
        var response = await _runner.RunAsync(o => _stub.CompleteStepAsync(request, o), Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.Step;
    }

    /// <summary>A cluster's progress: steps in start order, the current (or failed) step's events, and the stream position.</summary>
    /// <param name="clusterId">The cluster.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The snapshot; pass its <see cref="GetProgressResponse.Sequence"/> to <see cref="WatchProgressAsync"/> to continue.</returns>
    public virtual Task<GetProgressResponse> GetProgressAsync(string clusterId, CancellationToken cancellationToken = default)
    {
        var request = new GetProgressRequest { Project = Project, ClusterId = clusterId };
        return _runner.RunAsync(o => _stub.GetProgressAsync(request, o), Retry.Idempotent, cancellationToken);
    }

    /// <summary>Lists a cluster's stored events, oldest first, fetching pages as the caller enumerates.</summary>
    /// <param name="request">The cluster and filters; page fields are ignored, project defaults to the client's.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The events.</returns>
    public virtual IAsyncEnumerable<ProvisionEvent> ListEventsAsync(ListEventsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var template = request.Clone();
        template.Project = string.IsNullOrEmpty(template.Project) ? Project : template.Project;
        return Pager.ListAsync((token, ct) =>
        {
            var page = template.Clone();
            page.PageToken = token;
            return _runner.RunAsync(o => _stub.ListEventsAsync(page, o), Retry.Idempotent, ct);
        }, page => page.Events, page => page.NextPageToken, cancellationToken);
    }

    /// <summary>
    /// Watches a cluster's progress: every step change and event after <paramref name="afterSequence"/>, then
    /// live ones. Resumes after the last update if the connection drops, with no gap and no duplicate.
    /// Heartbeats go to <paramref name="streamOptions"/>; the stream never ends on its own.
    /// </summary>
    /// <param name="clusterId">The cluster.</param>
    /// <param name="afterSequence">Start after this sequence, such as <see cref="GetProgressResponse.Sequence"/>; 0 from the oldest retained.</param>
    /// <param name="streamOptions">Heartbeat, reset and reconnect hooks, or null.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    /// <returns>Updates carrying a step or an event, in sequence order.</returns>
    public virtual async IAsyncEnumerable<WatchProgressResponse> WatchProgressAsync(string clusterId, long afterSequence = 0, EventLogStreamOptions? streamOptions = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var cursor = new ProgressCursor(_stub, Project, clusterId, afterSequence, streamOptions);
        await foreach (var response in ResumableStream.RunAsync(cursor, _runner.Options, streamOptions, cancellationToken).ConfigureAwait(false))
        {
            yield return response;
        }
    }
}
