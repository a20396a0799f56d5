using EventLog.Rpc.Internal;
using EventLog.Rpc.Server.Health;
using EventLog.Rpc.Server.Internal;
using EventLog.Rpc.Server.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventLog.Rpc.Server;

/// <summary>Maps gRPC services onto endpoint routing.</summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every method of <typeparamref name="TService"/> (a class deriving from a generated
    /// <c>XxxBase</c>) to <c>POST /package.Service/Method</c>. The service is taken from DI when
    /// registered, otherwise created per call.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcService<TService>(this IEndpointRouteBuilder endpoints)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var options = services.GetRequiredService<IOptions<GrpcServerOptions>>().Value;
        var interceptors = options.Interceptors.Select(t => (Interceptor)ActivatorUtilities.GetServiceOrCreateInstance(services, t)).ToArray();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("EventLog.Rpc.Server");
        var binder = new ServiceMethodBinder<TService>(services, options, interceptors, services.GetRequiredService<ServerShutdown>(), logger);

        var attribute = GrpcServiceRegistry.GetBindAttribute(typeof(TService));
        var bindMethod = attribute.BindType.GetMethods()
            .FirstOrDefault(m => m.Name == attribute.BindMethodName && m.GetParameters() is { Length: 2 } p && p[0].ParameterType == typeof(ServiceBinderBase))
            ?? throw new InvalidOperationException($"{attribute.BindType.Name}.{attribute.BindMethodName}(ServiceBinderBase, ...) not found.");
        bindMethod.Invoke(null, [binder, null]);

        var descriptor = GrpcServiceRegistry.GetDescriptor(attribute);
        if (descriptor is not null)
        {
            services.GetRequiredService<GrpcServiceRegistry>().Add(descriptor);
        }

        var builders = binder.Handlers.Select(handler => endpoints.MapPost(handler.Method.FullName, handler.HandleCallAsync).WithDisplayName($"gRPC - {handler.Method.FullName}")).ToArray();
        return new CompositeConventionBuilder(builders);
    }

    /// <summary>Maps <c>grpc.health.v1.Health</c> (Check, Watch).</summary>
    public static IEndpointConventionBuilder MapGrpcHealthService(this IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<HealthServiceImpl>();

    /// <summary>Maps server reflection, <c>grpc.reflection.v1</c> and <c>v1alpha</c>.</summary>
    public static IEndpointConventionBuilder MapGrpcReflectionService(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGrpcService<ReflectionServiceV1>();
        var v1Alpha = endpoints.MapGrpcService<ReflectionServiceV1Alpha>();
        return new CompositeConventionBuilder([v1, v1Alpha]);
    }

    private sealed class CompositeConventionBuilder(IReadOnlyList<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var builder in builders)
            {
                builder.Add(convention);
            }
        }
    }
}
