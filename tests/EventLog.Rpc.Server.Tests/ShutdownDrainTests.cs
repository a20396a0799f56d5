using EventLog.Rpc.Server.Tests.Infrastructure;
using EventLog.Rpc.Server.Tests.Protos;

namespace EventLog.Rpc.Server.Tests;

/// <summary>
/// Graceful stop: a short unary call already running when the host is told to stop finishes (Kestrel
/// drains requests until its shutdown timeout); only long-lived streams need cutting short.
/// </summary>
public sealed class ShutdownDrainTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task StopAsync_InFlightUnaryCall_Completes()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var channel = host.CreateChannel();
        var client = new RpcTest.RpcTestClient(channel);
        using var call = client.SleepAsync(new SleepRequest { Milliseconds = 800 }, deadline: DateTime.UtcNow.Add(Timeout));
        await host.Probe.Started.Task.WaitAsync(Timeout);

        var stop = host.StopAsync();
        var response = await call.ResponseAsync.WaitAsync(Timeout);
        await stop.WaitAsync(Timeout);

        Assert.NotNull(response);
    }
}
