using System.Diagnostics;
using EventLog.Rpc.Client;
using EventLog.Rpc.Tests.Protos;
using EventLog.Rpc.Tests.TestHost;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EventLog.Rpc.Tests.Client;

public class GrpcChannelDeadlineTests
{
    [Fact]
    public async Task Unary_ServerSleeps_DeadlineExceededAndStreamReset()
    {
        var serverAborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await SleepingServerAsync(serverAborted);
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);
        var watch = Stopwatch.StartNew();

        using var call = client.UnaryCallAsync(new SimpleRequest(), deadline: DateTime.UtcNow.AddMilliseconds(300));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        Assert.Equal(StatusCode.DeadlineExceeded, call.GetStatus().StatusCode);
        // The HTTP/2 stream was reset, so the server's request token fired.
        await serverAborted.Task.WaitAsync(TestTimeouts.Default);
    }

    [Fact]
    public async Task Unary_ServerNeverSendsHeaders_DeadlineStillFires()
    {
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.Unary, async context =>
        {
            // Ignore the request's token: the client must not depend on the server honouring grpc-timeout.
            await Task.Delay(TimeSpan.FromSeconds(5));
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        using var call = client.UnaryCallAsync(new SimpleRequest(), deadline: DateTime.UtcNow.AddMilliseconds(200));

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(TimeSpan.FromSeconds(3)));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        var headers = await Assert.ThrowsAsync<RpcException>(() => call.ResponseHeadersAsync.WaitAsync(TestTimeouts.Default));
        Assert.Equal(StatusCode.DeadlineExceeded, headers.StatusCode);
    }

    [Fact]
    public async Task Unary_PastDeadline_FailsWithoutSending()
    {
        var hits = 0;
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.Unary, context =>
        {
            Interlocked.Increment(ref hits);
            return Task.CompletedTask;
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        using var call = client.UnaryCallAsync(new SimpleRequest(), deadline: DateTime.UtcNow.AddSeconds(-1));

        Assert.True(call.ResponseAsync.IsCompleted);
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(TestTimeouts.Default));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Equal(0, hits);
    }

    [Fact]
    public async Task ServerStreaming_DeadlineDuringStream_DeadlineExceeded()
    {
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.ServerStreaming, async context =>
        {
            await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            await GrpcWire.WriteAsync(context, GrpcWire.Reply("first"));
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        // Generous: the first call in a fresh test process pays for JIT and connection set-up.
        using var call = client.StreamingOutputCall(new SimpleRequest(), deadline: DateTime.UtcNow.AddSeconds(3));

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Default));
        Assert.Equal("first", call.ResponseStream.Current.Text);
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Default));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }

    [Fact]
    public async Task Unary_CancellationToken_CancelledAndStreamReset()
    {
        var serverAborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serverStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await SleepingServerAsync(serverAborted, serverStarted);
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);
        using var cts = new CancellationTokenSource();

        using var call = client.UnaryCallAsync(new SimpleRequest(), cancellationToken: cts.Token);
        await serverStarted.Task.WaitAsync(TestTimeouts.Default);
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(TestTimeouts.Default));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
        await serverAborted.Task.WaitAsync(TestTimeouts.Default);
    }

    [Fact]
    public async Task Unary_AlreadyCancelledToken_CancelledImmediately()
    {
        using var channel = GrpcChannel.ForAddress("http://127.0.0.1:1");
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest(), cancellationToken: new CancellationToken(true)).ResponseAsync.WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
    }

    [Fact]
    public async Task ServerStreaming_Dispose_CancelsCallAndResetsStream()
    {
        var serverAborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.ServerStreaming, async context =>
        {
            await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            await GrpcWire.WriteAsync(context, GrpcWire.Reply("first"));
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                serverAborted.TrySetResult();
            }
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        var call = client.StreamingOutputCall(new SimpleRequest());
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Default));
        var pending = call.ResponseStream.MoveNext(CancellationToken.None);
        Assert.Throws<InvalidOperationException>(() => call.GetStatus());
        Assert.Throws<InvalidOperationException>(() => call.GetTrailers());
        call.Dispose();

        var ex = await Assert.ThrowsAsync<RpcException>(() => pending.WaitAsync(TestTimeouts.Default));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
        await serverAborted.Task.WaitAsync(TestTimeouts.Default);
    }

    [Fact]
    public async Task ServerStreaming_MoveNextTokenCancelled_CancelsCall()
    {
        var serverAborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.ServerStreaming, async context =>
        {
            await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            await context.Response.StartAsync(context.RequestAborted);
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                serverAborted.TrySetResult();
            }
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        using var call = client.StreamingOutputCall(new SimpleRequest());
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(cts.Token).WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        await serverAborted.Task.WaitAsync(TestTimeouts.Default);
    }

    private static Task<TestServer> SleepingServerAsync(TaskCompletionSource aborted, TaskCompletionSource? started = null) =>
        TestServer.StartAsync(app => app.MapPost(Paths.Unary, async context =>
        {
            await GrpcWire.ReadAsync(context);
            started?.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                aborted.TrySetResult();
            }
        }));
}
