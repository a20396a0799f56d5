using EventLog.Server.Auth;
using EventLog.Server.Infrastructure;
using EventLog.Server.Limits;
using EventLog.Server.Tests.Infrastructure;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventLog.Server.Tests.Hosting;

/// <summary>
/// Which interceptors each mapped gRPC service runs. Health and reflection skip auth, limits and storage errors;
/// every other service must run them, so a service mapped without its pipeline is caught here, not in production.
/// </summary>
public sealed class CallPipelineTests
{
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
            Assert.True(guards.All(InterceptorsOf(server.Services, type).Contains), $"{name} does not run auth, limits and storage errors.");
        }
        foreach (var (type, name) in probes)
        {
            Assert.False(guards.Any(InterceptorsOf(server.Services, type).Contains), $"{name} runs an EventLog service's interceptors.");
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
