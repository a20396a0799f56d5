using System.Reflection;
using Grpc.AspNetCore.Server.Model;

namespace EventLog.Server.Hosting;

/// <summary>
/// Binds the methods of a generated service base (through its <c>BindService</c>), as grpc-dotnet's own
/// binder does, but with request marshallers that turn a message that cannot be parsed into INTERNAL, as
/// C-core servers answer it. grpc-dotnet's binder lets the parser's exception reach the call handler,
/// which answers UNKNOWN and logs an error for what is the caller's fault. Health and reflection, which run
/// no interceptors, get their call lifetimes (<see cref="StreamLifetimeInterceptor"/>) bound here instead.
/// </summary>
internal sealed class ServiceMethodProvider<TService>(IServiceProvider services) : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        var bindMethod = FindBindMethod(typeof(TService));
        if (bindMethod is null)
        {
            return;
        }
        var metadata = typeof(TService).GetCustomAttributes(inherit: true);
        // Health and reflection run no interceptors: their handlers are bound with call lifetimes here instead.
        var lifetime = GrpcHostingServiceCollectionExtensions.ProbeServiceTypes.Contains(typeof(TService))
            ? services.GetRequiredService<StreamLifetimeInterceptor>()
            : null;
        bindMethod.Invoke(null, [new Binder(context, metadata, lifetime), null]);
    }

    private static MethodInfo? FindBindMethod(Type serviceType)
    {
        for (var type = serviceType; type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } attribute)
            {
                return attribute.BindType.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                    .FirstOrDefault(m => m.Name == attribute.BindMethodName && m.GetParameters() is { Length: 2 } p && p[0].ParameterType == typeof(ServiceBinderBase));
            }
        }
        return null;
    }

    /// <summary>Binds each method; with <paramref name="lifetime"/>, each handler runs under it.</summary>
    private sealed class Binder(ServiceMethodProviderContext<TService> context, object[] serviceMetadata, StreamLifetimeInterceptor? lifetime) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            context.AddUnaryMethod(Strict(method), Metadata(method), Bound(Invoker<UnaryServerMethod<TService, TRequest, TResponse>>(method), lifetime is null ? null : lifetime.Bind));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddClientStreamingMethod(Strict(method), Metadata(method), Bound(Invoker<ClientStreamingServerMethod<TService, TRequest, TResponse>>(method), lifetime is null ? null : lifetime.Bind));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddServerStreamingMethod(Strict(method), Metadata(method), Bound(Invoker<ServerStreamingServerMethod<TService, TRequest, TResponse>>(method), lifetime is null ? null : lifetime.Bind));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddDuplexStreamingMethod(Strict(method), Metadata(method), Bound(Invoker<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(method), lifetime is null ? null : lifetime.Bind));

        /// <summary>The handler itself, or bound with call lifetimes when the service runs no interceptors.</summary>
        private static TDelegate Bound<TDelegate>(TDelegate invoker, Func<TDelegate, TDelegate>? bind) => bind is null ? invoker : bind(invoker);

        private List<object> Metadata(IMethod method)
        {
            var list = new List<object>(serviceMetadata);
            if (FindHandler(method) is { } handler)
            {
                list.AddRange(handler.GetCustomAttributes(inherit: true));
            }
            return list;
        }

        private static TDelegate Invoker<TDelegate>(IMethod method)
            where TDelegate : Delegate
        {
            var handler = FindHandler(method) ?? throw new InvalidOperationException($"{typeof(TService).Name} has no method {method.Name}.");
            // An open delegate over the service's own override: the instance is the delegate's first argument.
            return (TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler);
        }

        private static MethodInfo? FindHandler(IMethod method) =>
            typeof(TService).GetMethods(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(m => m.Name == method.Name && m.IsVirtual);

        private static Method<TRequest, TResponse> Strict<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class
            where TResponse : class
        {
            var parse = method.RequestMarshaller.ContextualDeserializer;
            var requests = Marshallers.Create<TRequest>(method.RequestMarshaller.ContextualSerializer, context =>
            {
                try
                {
                    return parse(context);
                }
                // The parser also throws InvalidOperationException for some malformed inputs.
                catch (Exception ex) when (ex is Google.Protobuf.InvalidProtocolBufferException or InvalidOperationException)
                {
                    throw Infrastructure.Errors.Create(StatusCode.Internal, "MALFORMED_MESSAGE", $"The request message could not be parsed: {ex.Message}");
                }
            });
            return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, requests, method.ResponseMarshaller);
        }
    }
}
