using Grpc.Health.V1;
using Microsoft.Extensions.Hosting;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace EventLog.Rpc.Server.Health;

/// <summary>
/// The serving status reported by <c>grpc.health.v1.Health</c>, per service name ("" is the whole
/// server). Everything turns NOT_SERVING when the host starts stopping.
/// </summary>
public sealed class HealthStatusManager(IHostApplicationLifetime lifetime) : IHostedService
{
    private readonly Dictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal) { [""] = ServingStatus.Serving };
    private readonly Lock _lock = new();
    private event Action? Changed;

    /// <summary>Sets the status of a service ("" for the server as a whole).</summary>
    public void SetStatus(string service, ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_lock)
        {
            _statuses[service] = status;
        }
        Changed?.Invoke();
    }

    /// <summary>The status of a service, or null when the service is unknown.</summary>
    public ServingStatus? GetStatus(string service)
    {
        lock (_lock)
        {
            return _statuses.TryGetValue(service, out var status) ? status : null;
        }
    }

    /// <summary>Calls <paramref name="onChange"/> on every status change until disposed.</summary>
    public IDisposable Subscribe(Action onChange)
    {
        Changed += onChange;
        return new Subscription(() => Changed -= onChange);
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(SetAllNotServing);
        return Task.CompletedTask;
    }

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void SetAllNotServing()
    {
        lock (_lock)
        {
            foreach (var key in _statuses.Keys.ToArray())
            {
                _statuses[key] = ServingStatus.NotServing;
            }
        }
        Changed?.Invoke();
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
