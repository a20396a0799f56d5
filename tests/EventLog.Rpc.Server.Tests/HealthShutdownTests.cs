using EventLog.Rpc.Server.Health;
using EventLog.Rpc.Server.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace EventLog.Rpc.Server.Tests;

/// <summary>
/// What a load balancer sees while a real host stops: health turns NOT_SERVING (on an open Watch and
/// for Check) before the server goes away, and open Watch streams end instead of holding shutdown.
/// </summary>
public sealed class HealthShutdownTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task StopAsync_OpenWatch_ReceivesNotServing_ThenEnds()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var channel = host.CreateChannel();
        var client = new Grpc.Health.V1.Health.HealthClient(channel);
        using var call = client.Watch(new HealthCheckRequest(), deadline: DateTime.UtcNow.Add(Timeout));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(ServingStatus.Serving, call.ResponseStream.Current.Status);

        var stop = host.StopAsync();
        var seen = new List<ServingStatus>();
        RpcException? ended = null;
        try
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout))
            {
                seen.Add(call.ResponseStream.Current.Status);
            }
        }
        catch (RpcException ex)
        {
            ended = ex;
        }
        await stop.WaitAsync(Timeout);

        Assert.True(seen.SequenceEqual([ServingStatus.NotServing]), $"after StopAsync the watcher saw [{string.Join(", ", seen)}], then {ended?.Status.ToString() ?? "OK"}");
        // The stream ends because the server goes away: UNAVAILABLE, never a clean OK the client would not retry.
        Assert.True(ended is { StatusCode: StatusCode.Unavailable }, $"the Watch ended with {ended?.Status.ToString() ?? call.GetStatus().ToString()}");
    }

    [Fact]
    public async Task Stopping_Check_IsNeverServing()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var channel = host.CreateChannel();
        var client = new Grpc.Health.V1.Health.HealthClient(channel);
        var manager = host.Services.GetRequiredService<HealthStatusManager>();
        manager.SetStatus("eventlog.rpctest.RpcTest", ServingStatus.Serving);
        var before = await client.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.Add(Timeout)).ResponseAsync.WaitAsync(Timeout);

        // SIGTERM does exactly this first (ConsoleLifetime); the host stops its server only after.
        host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        var during = await CheckAsync(client, "");
        var service = await CheckAsync(client, "eventlog.rpctest.RpcTest");
        await host.StopAsync().WaitAsync(Timeout);

        Assert.Equal(ServingStatus.Serving, before.Status);
        // A prober on an open connection reads NOT_SERVING, or UNAVAILABLE because the runtime refuses
        // new calls once the host is stopping; both take the replica out of rotation.
        Assert.True(during is "NotServing" or "Unavailable", $"Check during shutdown: {during}");
        Assert.True(service is "NotServing" or "Unavailable", $"Check of a service during shutdown: {service}");
        Assert.Equal(ServingStatus.NotServing, manager.GetStatus(""));
        Assert.Equal(ServingStatus.NotServing, manager.GetStatus("eventlog.rpctest.RpcTest"));
    }

    private static async Task<string> CheckAsync(Grpc.Health.V1.Health.HealthClient client, string service)
    {
        try
        {
            var response = await client.CheckAsync(new HealthCheckRequest { Service = service }, deadline: DateTime.UtcNow.Add(Timeout)).ResponseAsync.WaitAsync(Timeout);
            return response.Status.ToString();
        }
        catch (RpcException ex)
        {
            return ex.StatusCode.ToString();
        }
    }
}
