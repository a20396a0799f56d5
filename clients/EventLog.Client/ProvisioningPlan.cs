using EventLog.V1;

namespace EventLog.Client;

/// <summary>
/// A declared cluster operation (from <see cref="ProvisioningClient.BeginAsync"/>): start its steps in
/// order and report per-instance events through the returned <see cref="ProvisioningStepReporter"/>.
/// </summary>
public sealed class ProvisioningPlan
{
    private readonly ProvisioningClient _client;

    internal ProvisioningPlan(ProvisioningClient client, string clusterId, IReadOnlyList<ProvisionStep> steps)
    {
        _client = client;
        ClusterId = clusterId;
        Steps = steps;
    }

    /// <summary>The cluster being provisioned.</summary>
    public string ClusterId { get; }

    /// <summary>The declared steps with their ids, in plan order.</summary>
    public IReadOnlyList<ProvisionStep> Steps { get; }

    /// <summary>Starts the step named <paramref name="name"/>; dispose the reporter (or complete it) when the step is done.</summary>
    /// <param name="name">The step name as declared.</param>
    /// <param name="total">Events expected, such as the number of instances; 0 keeps the declared total.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The reporter of the running step.</returns>
    public async Task<ProvisioningStepReporter> StartStepAsync(string name, long total = 0, CancellationToken cancellationToken = default)
    {
        var step = Steps.FirstOrDefault(s => s.Name == name)
            ?? throw new ArgumentException($"The plan of cluster '{ClusterId}' has no step named '{name}'.", nameof(name));
        var started = await _client.StartStepAsync(step.Id, total, cancellationToken).ConfigureAwait(false);
        return new ProvisioningStepReporter(_client, started);
    }
}
