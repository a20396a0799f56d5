using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventLog.Server.Hosting;

/// <summary>
/// Healthy while the store answers a read over a fresh connection within <see cref="Timeout"/>. One probe
/// serves every check for <see cref="MaxAge"/>: probes come as often as load balancers and scripts like, and
/// each opens a connection, so checks that arrive together share one probe and a result is reused for a second.
/// </summary>
internal sealed class StorageHealthCheck(IStorageProbe probe, TimeProvider time) : IHealthCheck
{
    /// <summary>A store slower than this is as good as gone for a load balancer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>How long one probe's result answers checks; the store's recovery is seen within this.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private volatile Probe? _probe;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Nearly every check finds a probe that is running or fresh: that needs no lock.
        var current = _probe;
        if (current is null || IsStale(current))
        {
            lock (_lock)
            {
                current = _probe;
                if (current is null || IsStale(current))
                {
                    var startedAt = time.GetTimestamp();
                    current = new Probe(ProbeAsync(), startedAt);
                    _probe = current;
                }
            }
        }
        return current.Result.WaitAsync(cancellationToken);
    }

    private bool IsStale(Probe probe) => probe.Result.IsCompleted && time.GetElapsedTime(probe.StartedAt) >= MaxAge;

    /// <summary>Runs without a caller's token: callers that give up must not fail the others sharing the probe.</summary>
    private async Task<HealthCheckResult> ProbeAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await probe.ProbeAsync(timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The store cannot be reached.", ex);
        }
    }

    /// <summary>A probe of the store and when it started.</summary>
    private sealed record Probe(Task<HealthCheckResult> Result, long StartedAt);
}
