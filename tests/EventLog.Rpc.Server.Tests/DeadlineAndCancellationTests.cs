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
        // Connection set-up and first-call JIT must not eat the 300 ms: a deadline that passes before the handler
        // starts ends the call without running it, and the handler could not see the cancellation asserted below.
        await client.EchoAsync(new EchoRequest { Text = "warm" }).ResponseAsync.WaitAsync(Timeout);

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
    public async Task UnaryDeadline_WhileTheRequestMessageNeverArrives_SendsDeadlineExceededAndEndsTheCall()
    {
        // The single-message read waits without the handler's token; the deadline must still end it, or the
        // handler would wait for a message that never comes for as long as the client keeps the stream open.
        await using var host = await RuntimeHost.StartAsync();
        using var raw = host.CreateRawClient();
        var body = new StalledContent(RawGrpc.Frame(new EchoRequest { Text = "never" })[..3]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/eventlog.rpctest.RpcTest/Echo")
        {
            // Three bytes of a frame header, then nothing: no message and no end of stream.
            Content = body,
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("grpc-timeout", "200m");

        using var response = await raw.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Timeout);

        var status = response.Headers.TryGetValues("grpc-status", out var values) ? values.Single() : null;
        Assert.Equal("4", status);
        // Kestrel resets the unfinished request stream once the call's handler has returned: the body sees it.
        await body.Stopped.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Deadline_AfterTheClientResetTheStream_LeavesTheServerServing()
    {
        // The client resets while the handler still runs; the deadline fires afterwards and must not throw on the
        // timer thread (Kestrel rethrows the reset when the aborted request body is touched).
        await using var host = await RuntimeHost.StartAsync();
        using var channel = host.CreateChannel();
        var client = new RpcTest.RpcTestClient(channel);
        await client.EchoAsync(new EchoRequest { Text = "warm" }).ResponseAsync.WaitAsync(Timeout);
        using (var reset = new CancellationTokenSource())
        {
            var call = client.SleepAsync(new SleepRequest { Milliseconds = 2500, IgnoreCancellation = true }, deadline: DateTime.UtcNow.AddMilliseconds(1500), cancellationToken: reset.Token);
            await host.Probe.Started.Task.WaitAsync(Timeout);
            await reset.CancelAsync();
            var ended = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(Timeout));
            Assert.Equal(StatusCode.Cancelled, ended.StatusCode);
        }

        // Past the deadline and the handler's end: the server is still there.
        await Task.Delay(TimeSpan.FromMilliseconds(3000));
        var reply = await client.EchoAsync(new EchoRequest { Text = "still here" }).ResponseAsync.WaitAsync(Timeout);
        Assert.Equal("still here", reply.Text);
    }

    /// <summary>A request body that sends some bytes and then waits until the request is cancelled.</summary>
    private sealed class StalledContent(byte[] start) : HttpContent
    {
        private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the HTTP stack stopped the body (the server reset the stream).</summary>
        public Task Stopped => _stopped.Task;

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            try
            {
                await stream.WriteAsync(start, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, cancellationToken);
            }
            finally
            {
                _stopped.TrySetResult();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
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
