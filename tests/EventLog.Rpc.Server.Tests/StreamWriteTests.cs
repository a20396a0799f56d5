using EventLog.Rpc.Server.Tests.Infrastructure;
using EventLog.Rpc.Server.Tests.Protos;
using Grpc.Core;

namespace EventLog.Rpc.Server.Tests;

public sealed class StreamWriteTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(5)]
    // About 140 KB of messages: the path that flushes every 64 KiB of buffered messages runs too.
    [InlineData(20_000)]
    public async Task BufferHintWrites_AllArriveInOrder_TheStatusFlushesTheLastOnes(int count)
    {
        await using var host = await RuntimeHost.StartAsync();
        using var channel = host.CreateChannel();
        var client = new RpcTest.RpcTestClient(channel);

        using var call = client.Count(new CountRequest { Count = count, BufferHint = true });
        var values = new List<int>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout))
        {
            values.Add(call.ResponseStream.Current.Value);
        }

        Assert.Equal(Enumerable.Range(1, count), values);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ServerEndsClientStreamEarly_WritesThatFailReportTheServersStatus()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var channel = host.CreateChannel();
        var client = new RpcTest.RpcTestClient(channel);

        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var call = client.Sum();
            RpcException? writeFailure = null;
            try
            {
                await call.RequestStream.WriteAsync(new CountResponse { Value = -1 }).WaitAsync(Timeout);
                // The server fails the call on the first message; these writes race with its reset of the stream.
                for (var i = 0; i < 200; i++)
                {
                    await call.RequestStream.WriteAsync(new CountResponse { Value = i }).WaitAsync(Timeout);
                }
                await call.RequestStream.CompleteAsync().WaitAsync(Timeout);
            }
            catch (RpcException ex)
            {
                writeFailure = ex;
            }

            var status = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(Timeout));
            Assert.Equal(StatusCode.NotFound, status.StatusCode);
            if (writeFailure is not null)
            {
                Assert.Equal(StatusCode.NotFound, writeFailure.StatusCode);
            }
        }
    }
}
