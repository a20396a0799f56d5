using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace EventLog.Rpc.Server.Internal;

/// <summary>
/// Gets the service instance for a call: the singleton when the service is registered as one, else from
/// the call's DI scope if registered, else a new instance per call.
/// </summary>
internal sealed class ServiceActivator<TService>
    where TService : class
{
    private readonly ObjectFactory _factory = ActivatorUtilities.CreateFactory(typeof(TService), Type.EmptyTypes);
    private readonly Lazy<TService?> _singleton;

    public ServiceActivator(IServiceProvider rootServices)
    {
        _singleton = new Lazy<TService?>(() => FindSingleton(rootServices), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public (TService Service, bool Created) Create(ServerCallContext context)
    {
        // A singleton needs no request scope; creating one per call is a noticeable part of a small call.
        if (_singleton.Value is { } singleton)
        {
            return (singleton, false);
        }
        var services = ((HttpServerCallContext)context).HttpContext.RequestServices;
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

    /// <summary>The registered instance when two scopes resolve the same one (a singleton), else null.</summary>
    private static TService? FindSingleton(IServiceProvider rootServices)
    {
        if (rootServices.GetService<IServiceProviderIsService>()?.IsService(typeof(TService)) != true)
        {
            return null;
        }
        using var first = rootServices.CreateScope();
        using var second = rootServices.CreateScope();
        var instance = first.ServiceProvider.GetRequiredService<TService>();
        return ReferenceEquals(instance, second.ServiceProvider.GetRequiredService<TService>()) ? instance : null;
    }
}
