using Microsoft.Extensions.DependencyInjection;

namespace EventLog.Rpc.Server.Internal;

/// <summary>Gets the service instance for a call: from DI if registered, else a new instance per call.</summary>
internal sealed class ServiceActivator<TService>
    where TService : class
{
    private readonly ObjectFactory _factory = ActivatorUtilities.CreateFactory(typeof(TService), Type.EmptyTypes);

    public (TService Service, bool Created) Create(IServiceProvider services)
    {
        var registered = services.GetService<TService>();
        return registered is not null ? (registered, false) : ((TService)_factory(services, null), true);
    }

    public static async ValueTask ReleaseAsync(TService service, bool created)
    {
        if (!created)
        {
            return;
        }
        if (service is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else if (service is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}
