using EventLog.Rpc.Server.Health;
using EventLog.Rpc.Server.Tests.Infrastructure;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace EventLog.Rpc.Server.Tests;

public sealed class HealthAndReflectionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task HealthCheck_IsServing_AndUnknownServiceIsNotFound()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var channel = host.CreateChannel();
        var client = new Grpc.Health.V1.Health.HealthClient(channel);

        var response = await client.CheckAsync(new HealthCheckRequest()).ResponseAsync.WaitAsync(Timeout);
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.CheckAsync(new HealthCheckRequest { Service = "nope" }).ResponseAsync.WaitAsync(Timeout));

        Assert.Equal(ServingStatus.Serving, response.Status);
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task HealthWatch_SeesStatusChanges()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var channel = host.CreateChannel();
        var client = new Grpc.Health.V1.Health.HealthClient(channel);
        var manager = host.Services.GetRequiredService<HealthStatusManager>();

        using var call = client.Watch(new HealthCheckRequest());
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(ServingStatus.Serving, call.ResponseStream.Current.Status);
        manager.SetStatus("", ServingStatus.NotServing);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal(ServingStatus.NotServing, call.ResponseStream.Current.Status);
    }

    [Fact]
    public async Task Reflection_ListsServices_AndReturnsFileWithDependencies()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var channel = host.CreateChannel();
        var client = new ServerReflection.ServerReflectionClient(channel);

        using var call = client.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }).WaitAsync(Timeout);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "eventlog.rpctest.RpcTest" }).WaitAsync(Timeout);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileByFilename = "google/protobuf/timestamp.proto" }).WaitAsync(Timeout);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "no.Such" }).WaitAsync(Timeout);
        await call.RequestStream.CompleteAsync().WaitAsync(Timeout);
        var responses = new List<ServerReflectionResponse>();
        await foreach (var response in call.ResponseStream.ReadAllAsync().WithCancellation(CancellationToken.None))
        {
            responses.Add(response);
        }

        Assert.Equal(4, responses.Count);
        var services = responses[0].ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("eventlog.rpctest.RpcTest", services);
        Assert.Contains("grpc.health.v1.Health", services);
        var files = responses[1].FileDescriptorResponse.FileDescriptorProto.Select(b => FileDescriptorProto.Parser.ParseFrom(b).Name).ToList();
        Assert.Equal(["rpc_test.proto", "google/protobuf/timestamp.proto"], files);
        Assert.Single(responses[2].FileDescriptorResponse.FileDescriptorProto);
        Assert.Equal((int)StatusCode.NotFound, responses[3].ErrorResponse.ErrorCode);
    }
}
