using EventLog.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventLog.Server.Grpc;

/// <summary>Healthy while the store answers a read over a fresh connection within <see cref="Timeout"/>.</summary>
internal sealed class StorageHealthCheck(IStorageProbe probe) : IHealthCheck
{
    /// <summary>A store slower than this is as good as gone for a load balancer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await probe.ProbeAsync(timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The store cannot be reached.", ex);
        }
    }
}
