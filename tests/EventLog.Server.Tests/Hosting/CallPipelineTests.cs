using EventLog.Server.Auth;
using EventLog.Server.Infrastructure;
using EventLog.Server.Observability;
using EventLog.Server.Limits;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventLog.Server.Tests.Hosting;

/// <summary>
/// Which interceptors each mapped gRPC service runs. Health and reflection run none (their call lifetimes are bound
/// with their handlers); every other service must run the whole pipeline, so a service mapped without its pipeline is caught here, not in production.
/// </summary>
public sealed class CallPipelineTests
{
    /// <summary>The server's internal interceptor that ends calls at their deadline and streams at shutdown.</summary>
    private const string StreamLifetime = "StreamLifetimeInterceptor";

    [Fact]
    public async Task EveryMappedService_ButHealthAndReflection_RunsAuthLimitsAndStorageErrors()
    {
        await using var server = await EventLogHost.StartAsync();
        var services = server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>())
            .OfType<GrpcMethodMetadata>()
            .GroupBy(m => m.ServiceType)
            .ToDictionary(g => g.Key, g => g.First().Method.ServiceName);

        var product = services.Where(s => !ProbeMethods.Is($"/{s.Value}/")).ToList();
        var probes = services.Where(s => ProbeMethods.Is($"/{s.Value}/")).ToList();
        Assert.Equal(4, product.Count);
        Assert.Contains(probes, s => s.Value == "grpc.health.v1.Health");
        Assert.Contains(probes, s => s.Value == "grpc.reflection.v1.ServerReflection");

        Type[] guards = [typeof(AuthInterceptor), typeof(LimitsInterceptor), typeof(StorageErrorInterceptor)];
        foreach (var (type, name) in product)
        {
            var interceptors = InterceptorsOf(server.Services, type);
            Assert.True(guards.All(interceptors.Contains), $"{name} does not run auth, limits and storage errors.");
            Assert.Equal([nameof(CallObservabilityInterceptor), StreamLifetime], interceptors.Take(2).Select(i => i.Name));
        }
        // Health and reflection run no interceptor: their call lifetimes (deadlines, shutdown) are bound with their handlers,
        // which ShutdownTests and HealthTests see at work.
        foreach (var (type, name) in probes)
        {
            var interceptors = InterceptorsOf(server.Services, type);
            Assert.True(interceptors.Count == 0, $"{name} runs {string.Join(", ", interceptors.Select(i => i.Name))}; probes run none.");
        }
    }

    /// <summary>The interceptors a service runs: the global ones, then its own.</summary>
    private static List<Type> InterceptorsOf(IServiceProvider services, Type serviceType)
    {
        var global = services.GetRequiredService<IOptions<GrpcServiceOptions>>().Value.Interceptors;
        var optionsType = typeof(IOptions<>).MakeGenericType(typeof(GrpcServiceOptions<>).MakeGenericType(serviceType));
        var own = (GrpcServiceOptions)optionsType.GetProperty(nameof(IOptions<object>.Value))!.GetValue(services.GetRequiredService(optionsType))!;
        return [.. global.Concat(own.Interceptors).Select(i => i.Type)];
    }
}
