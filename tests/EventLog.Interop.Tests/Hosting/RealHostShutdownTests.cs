using EventLog.Interop.Tests.Infrastructure;
using EventLog.Rpc.Client;
using Grpc.Core;
using Grpc.Health.V1;
using Xunit;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace EventLog.Interop.Tests.Hosting;

/// <summary>What a load balancer watching the real host sees when the host is told to stop.</summary>
public sealed class RealHostShutdownTests
{
    [Fact]
    public async Task SigTerm_OpenHealthWatch_ReceivesNotServing_ThenUnavailable_AndTheHostExitsCleanly()
    {
        var address = $"http://127.0.0.1:{FreePort.Next()}";
        using var server = EventLogServerProcess.Start(["--urls", address]);
        await server.WaitUntilListeningAsync();
        using var channel = GrpcChannel.ForAddress(address);
        var client = new Health.HealthClient(channel);
        using var watch = client.Watch(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(60));
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None).WithTimeout());
        Assert.Equal(ServingStatus.Serving, watch.ResponseStream.Current.Status);

        await server.TerminateAsync();
        var seen = new List<ServingStatus>();
        RpcException? ended = null;
        try
        {
            while (await watch.ResponseStream.MoveNext(CancellationToken.None).WithTimeout())
            {
                seen.Add(watch.ResponseStream.Current.Status);
            }
        }
        catch (RpcException ex)
        {
            ended = ex;
        }
        await server.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(seen.SequenceEqual([ServingStatus.NotServing]), $"after SIGTERM the watcher saw [{string.Join(", ", seen)}], then {ended?.Status.ToString() ?? "OK"}\n{server.Process.Output}");
        Assert.True(ended is { StatusCode: StatusCode.Unavailable }, $"the Watch ended with {ended?.Status.ToString() ?? watch.GetStatus().ToString()}");
        Assert.True(server.Process.ExitCode == 0, $"the host exited {server.Process.ExitCode} after SIGTERM:\n{server.Process.Output}");
    }
}
