using System.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace EventLog.Rpc.Server.Internal;

/// <summary>
/// Receives a generated service's methods (the generated <c>BindService</c> is called with a null
/// implementation) and builds a call handler per method that creates the service per call.
/// </summary>
internal sealed class ServiceMethodBinder<TService>(
    IServiceProvider services, GrpcServerOptions options, IReadOnlyList<Interceptor> interceptors, ServerShutdown shutdown, ILogger logger) : ServiceBinderBase
    where TService : class
{
    private readonly ServiceActivator<TService> _activator = new(services);

    public List<ServerCallHandler> Handlers { get; } = [];

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
    {
        var invoke = handler ?? Bind<Func<TService, TRequest, ServerCallContext, Task<TResponse>>, UnaryServerMethod<TRequest, TResponse>>(
            method, [typeof(TRequest), typeof(ServerCallContext)],
            call => (request, context) =>
            {
                var (service, created) = _activator.Create(context);
                return created ? RunCreatedAsync(service, (call, request, context), static (s, a) => a.call(s, a.request, a.context)) : call(service, request, context);
            });
        for (var i = interceptors.Count - 1; i >= 0; i--)
        {
            var (interceptor, next) = (interceptors[i], invoke);
            invoke = (request, context) => interceptor.UnaryServerHandler(request, context, next);
        }
        Handlers.Add(new UnaryServerCallHandler<TRequest, TResponse>(method, invoke, options, shutdown, logger));
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var invoke = handler ?? Bind<Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>>, ClientStreamingServerMethod<TRequest, TResponse>>(
            method, [typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)],
            call => (requests, context) =>
            {
                var (service, created) = _activator.Create(context);
                return created ? RunCreatedAsync(service, (call, requests, context), static (s, a) => a.call(s, a.requests, a.context)) : call(service, requests, context);
            });
        for (var i = interceptors.Count - 1; i >= 0; i--)
        {
            var (interceptor, next) = (interceptors[i], invoke);
            invoke = (requests, context) => interceptor.ClientStreamingServerHandler(requests, context, next);
        }
        Handlers.Add(new ClientStreamingServerCallHandler<TRequest, TResponse>(method, invoke, options, shutdown, logger));
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var invoke = handler ?? Bind<Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task>, ServerStreamingServerMethod<TRequest, TResponse>>(
            method, [typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)],
            call => (request, responses, context) =>
            {
                var (service, created) = _activator.Create(context);
                return created ? RunCreatedAsync(service, (call, request, responses, context), static (s, a) => a.call(s, a.request, a.responses, a.context)) : call(service, request, responses, context);
            });
        for (var i = interceptors.Count - 1; i >= 0; i--)
        {
            var (interceptor, next) = (interceptors[i], invoke);
            invoke = (request, responses, context) => interceptor.ServerStreamingServerHandler(request, responses, context, next);
        }
        Handlers.Add(new ServerStreamingServerCallHandler<TRequest, TResponse>(method, invoke, options, shutdown, logger));
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var invoke = handler ?? Bind<Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task>, DuplexStreamingServerMethod<TRequest, TResponse>>(
            method, [typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)],
            call => (requests, responses, context) =>
            {
                var (service, created) = _activator.Create(context);
                return created ? RunCreatedAsync(service, (call, requests, responses, context), static (s, a) => a.call(s, a.requests, a.responses, a.context)) : call(service, requests, responses, context);
            });
        for (var i = interceptors.Count - 1; i >= 0; i--)
        {
            var (interceptor, next) = (interceptors[i], invoke);
            invoke = (requests, responses, context) => interceptor.DuplexStreamingServerHandler(requests, responses, context, next);
        }
        Handlers.Add(new DuplexStreamingServerCallHandler<TRequest, TResponse>(method, invoke, options, shutdown, logger));
    }

    // A shared service instance is called directly; one made for the call is disposed after it, which takes an async
    // frame per call (a measurable part of a small call, so not paid when there is nothing to dispose). The call's
    // arguments come as state for a static lambda: a capturing one would allocate its closure on every call, shared or not.
    private static async Task<T> RunCreatedAsync<TArgs, T>(TService service, TArgs args, Func<TService, TArgs, Task<T>> call)
    {
        try
        {
            return await call(service, args).ConfigureAwait(false);
        }
        finally
        {
            await ServiceActivator<TService>.ReleaseAsync(service, created: true).ConfigureAwait(false);
        }
    }

    private static async Task RunCreatedAsync<TArgs>(TService service, TArgs args, Func<TService, TArgs, Task> call)
    {
        try
        {
            await call(service, args).ConfigureAwait(false);
        }
        finally
        {
            await ServiceActivator<TService>.ReleaseAsync(service, created: true).ConfigureAwait(false);
        }
    }

    /// <summary>Finds the service's implementation of a method and wraps it in a per-call delegate.</summary>
    private static TServerMethod Bind<TOpen, TServerMethod>(IMethod method, Type[] parameterTypes, Func<TOpen, TServerMethod> wrap)
        where TOpen : Delegate
    {
        var info = typeof(TService).GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance, parameterTypes)
            ?? throw new InvalidOperationException($"{typeof(TService).Name} has no method {method.Name} for {method.FullName}.");
        return wrap((TOpen)Delegate.CreateDelegate(typeof(TOpen), info));
    }
}
