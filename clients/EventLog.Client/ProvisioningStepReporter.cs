using EventLog.V1;

namespace EventLog.Client;

/// <summary>
/// Reports the progress of one running provisioning step: one event per instance, then completion.
/// Disposing it completes the step if that was not done (successful unless an event failed).
/// </summary>
public sealed class ProvisioningStepReporter : IAsyncDisposable
{
    private readonly ProvisioningClient _client;
    private bool _completed;

    internal ProvisioningStepReporter(ProvisioningClient client, ProvisionStep step)
    {
        _client = client;
        Step = step;
    }

    /// <summary>The step as last known (counts update with each report).</summary>
    public ProvisionStep Step { get; private set; }

    /// <summary>Reports that an instance finished the step, successfully or not.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="instanceName">Its name, such as <c>cluster-datanode-001</c>.</param>
    /// <param name="successful">Whether it completed the step; the first failure fails the step.</param>
    /// <param name="info">Free text, such as the reason of a failure; null for none.</param>
    /// <param name="errorId">Id of the error in the service's logs, for admins; null for none.</param>
    /// <param name="nodeGroupId">The instance's node group; null for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The step after the event.</returns>
    public Task<ProvisionStep> ReportAsync(string instanceId, string instanceName, bool successful, string? info = null, string? errorId = null, string? nodeGroupId = null, CancellationToken cancellationToken = default) =>
        ReportAsync([new ProvisionEvent
        {
            InstanceId = instanceId,
            InstanceName = instanceName,
            Successful = successful,
            Info = info ?? "",
            ErrorId = errorId ?? "",
            NodeGroupId = nodeGroupId ?? "",
        }], cancellationToken);

    /// <summary>Reports a batch of per-instance events.</summary>
    /// <param name="events">The events, in order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The step after the batch.</returns>
    public async Task<ProvisionStep> ReportAsync(IReadOnlyList<ProvisionEvent> events, CancellationToken cancellationToken = default)
    {
        var response = await _client.RecordEventsAsync(Step.Id, events, cancellationToken).ConfigureAwait(false);
        Step = response.Step;
        return Step;
    }

    /// <summary>Finishes the step: successful unless one of its events failed.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The finished step.</returns>
    public async Task<ProvisionStep> CompleteAsync(CancellationToken cancellationToken = default)
    {
        Step = await _client.CompleteStepAsync(Step.Id, cancellationToken).ConfigureAwait(false);
        _completed = true;
        return Step;
    }

    /// <summary>Completes the step if <see cref="CompleteAsync"/> was not called.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            await CompleteAsync().ConfigureAwait(false);
        }
    }
}
