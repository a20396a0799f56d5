using EventLog.Rpc.Server.Health;
using EventLog.Rpc.Server.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventLog.Rpc.Server;

/// <summary>Registers the gRPC server.</summary>
public static class GrpcServerServiceCollectionExtensions
{
    /// <summary>Adds the gRPC server, health checking and reflection services.</summary>
    public static IServiceCollection AddGrpcServer(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRouting();
        var optionsBuilder = services.AddOptions<GrpcServerOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }
        optionsBuilder.Validate(o => o.MaxReceiveMessageSize > 0 && o.MaxSendMessageSize > 0, "Grpc:MaxReceiveMessageSize and Grpc:MaxSendMessageSize must be positive.")
            .Validate(o => o.ResponseCompression is null or "gzip" or "identity", "Grpc:ResponseCompression must be 'gzip', 'identity' or empty.")
            .Validate(o => o.StreamWriteTimeout is null || o.StreamWriteTimeout > TimeSpan.Zero, "Grpc:StreamWriteTimeout must be positive, or empty to disable it.")
            .ValidateOnStart();
        services.TryAddSingleton<GrpcServiceRegistry>();
        services.TryAddEnumerable(ServiceDescriptor.Transient<Microsoft.AspNetCore.Hosting.IStartupFilter, UnimplementedStartupFilter>());
        services.TryAddSingleton<ServerShutdown>();
        services.TryAddSingleton<HealthStatusManager>();
        services.TryAddSingleton<Reflection.ReflectionCatalog>();
        services.AddHostedService(sp => sp.GetRequiredService<HealthStatusManager>());
        return services;
    }
}
