using System.Diagnostics;
using EventLog.Rpc.Server.Tests.Infrastructure;
using EventLog.Rpc.Server.Tests.Protos;
using Grpc.Core;

namespace EventLog.Rpc.Server.Tests;

public sealed class DeadlineAndCancellationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Deadline_WhileHandlerSleeps_ReturnsDeadlineExceededAndCancelsHandler()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var channel = host.CreateChannel();
        var client = new RpcTest.RpcTestClient(channel);

        var watch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.SleepAsync(new SleepRequest { Milliseconds = 20_000 }, deadline: DateTime.UtcNow.AddMilliseconds(300)).ResponseAsync.WaitAsync(Timeout));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        await host.Probe.Cancelled.Task.WaitAsync(Timeout);
    }

    [Fact]
    public async Task ServerDeadline_FromRawTimeoutHeader_SendsDeadlineExceeded()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var raw = host.CreateRawClient();

        var response = await RawGrpc.SendAsync(raw, "/eventlog.rpctest.RpcTest/Sleep", RawGrpc.Frame(new SleepRequest { Milliseconds = 20_000 }), headers: ("grpc-timeout", "200m"));

        Assert.Equal("4", response.GrpcStatus);
        // The status the runtime made still names its reason, as every EventLog error does.
        Assert.Equal("DEADLINE_EXCEEDED", response.StatusDetails?.Details.Single().Unpack<Google.Rpc.ErrorInfo>().Reason);
        await host.Probe.Cancelled.Task.WaitAsync(Timeout);
    }

    [Fact]
    public async Task ClientDisposesStream_HandlerSeesCancellation()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var channel = host.CreateChannel();
        var client = new RpcTest.RpcTestClient(channel);

        var call = client.Count(new CountRequest { Count = 0, IntervalMilliseconds = 50 });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
        call.Dispose();

        await host.Probe.Cancelled.Task.WaitAsync(Timeout);
    }

    [Fact]
    public async Task ServerStopping_EndsOpenStreamWithUnavailable()
    {
        var host = await RuntimeHost.StartAsync();
        using var channel = host.CreateChannel();
        var client = new RpcTest.RpcTestClient(channel);
        var call = client.Count(new CountRequest { Count = 0, IntervalMilliseconds = 50 });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));

        var stopping = host.DisposeAsync().AsTask();
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout))
            {
            }
        });
        await stopping.WaitAsync(Timeout);

        Assert.Contains(ex.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Cancelled, StatusCode.Internal });
    }
}
