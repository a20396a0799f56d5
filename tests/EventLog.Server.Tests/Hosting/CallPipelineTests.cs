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
/// Which interceptors each mapped gRPC service runs. Health and reflection run call lifetimes alone; every other
/// service must run the whole pipeline, so a service mapped without its pipeline is caught here, not in production.
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
        // Health and reflection run call lifetimes only (deadlines, shutdown): a Watch or reflection stream still ends at shutdown.
        foreach (var (type, name) in probes)
        {
            var interceptors = InterceptorsOf(server.Services, type);
            Assert.True(interceptors.Select(i => i.Name).SequenceEqual([StreamLifetime]), $"{name} runs {string.Join(", ", interceptors.Select(i => i.Name))}, not call lifetimes alone.");
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
