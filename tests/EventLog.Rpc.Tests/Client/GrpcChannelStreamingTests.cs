using EventLog.Rpc.Client;
using EventLog.Rpc.Tests.Protos;
using EventLog.Rpc.Tests.TestHost;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EventLog.Rpc.Tests.Client;

public class GrpcChannelStreamingTests
{
    [Fact]
    public async Task ServerStreaming_ReadsAllMessagesThenOkStatus()
    {
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.ServerStreaming, async context =>
        {
            var request = await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            for (var i = 0; i < 3; i++)
            {
                await GrpcWire.WriteAsync(context, GrpcWire.Reply($"{request!.Text}-{i}"));
            }
            context.Response.AppendTrailer("x-count", "3");
            GrpcWire.Status(context, StatusCode.OK);
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        using var call = client.StreamingOutputCall(new SimpleRequest { Text = "m" });
        var texts = new List<string>();
        await foreach (var response in call.ResponseStream.ReadAllAsync().WithCancellation(CancellationToken.None))
        {
            texts.Add(response.Text);
        }

        Assert.Equal(["m-0", "m-1", "m-2"], texts);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal("3", call.GetTrailers().GetValue("x-count"));
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Default));
    }

    [Fact]
    public async Task ServerStreaming_EmptyTrailersOnlyOk_EndsStream()
    {
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.ServerStreaming, context =>
        {
            GrpcWire.TrailersOnly(context, StatusCode.OK);
            return Task.CompletedTask;
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        using var call = client.StreamingOutputCall(new SimpleRequest());

        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Default));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ServerStreaming_ErrorAfterMessages_ThrowsAfterDeliveringThem()
    {
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.ServerStreaming, async context =>
        {
            await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            await GrpcWire.WriteAsync(context, GrpcWire.Reply("one"));
            GrpcWire.Status(context, StatusCode.DataLoss, "gone");
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        using var call = client.StreamingOutputCall(new SimpleRequest());

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Default));
        Assert.Equal("one", call.ResponseStream.Current.Text);
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Default));
        Assert.Equal(StatusCode.DataLoss, ex.StatusCode);
        Assert.Equal("gone", call.GetStatus().Detail);
    }

    [Fact]
    public async Task ServerStreaming_ResponseHeadersArriveBeforeAnyMessage()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.ServerStreaming, async context =>
        {
            await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            context.Response.Headers["x-initial"] = "early";
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await release.Task.WaitAsync(context.RequestAborted);
            GrpcWire.Status(context, StatusCode.OK);
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        using var call = client.StreamingOutputCall(new SimpleRequest());
        var headers = await call.ResponseHeadersAsync.WaitAsync(TestTimeouts.Default);
        release.SetResult();

        Assert.Equal("early", headers.GetValue("x-initial"));
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Default));
    }

    [Fact]
    public async Task ClientStreaming_SendsAllMessagesThenReceivesResponse()
    {
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.ClientStreaming, async context =>
        {
            var total = 0;
            while (await GrpcWire.ReadAsync(context) is { } request)
            {
                total += request.Payload.Length;
            }
            GrpcWire.Begin(context);
            await GrpcWire.WriteAsync(context, GrpcWire.Reply(total.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            GrpcWire.Status(context, StatusCode.OK);
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        using var call = client.StreamingInputCall();
        foreach (var size in new[] { 27_182, 8, 1_828, 45_904 })
        {
            await call.RequestStream.WriteAsync(new SimpleRequest { Payload = Google.Protobuf.ByteString.CopyFrom(new byte[size]) }).WaitAsync(TestTimeouts.Default);
        }
        await call.RequestStream.CompleteAsync().WaitAsync(TestTimeouts.Default);
        var response = await call.ResponseAsync.WaitAsync(TestTimeouts.Default);

        Assert.Equal("74922", response.Text);
        await Assert.ThrowsAsync<InvalidOperationException>(() => call.RequestStream.WriteAsync(new SimpleRequest()).WaitAsync(TestTimeouts.Default));
    }

    [Fact]
    public async Task ClientStreaming_EmptyStream_Completes()
    {
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.ClientStreaming, async context =>
        {
            var count = 0;
            while (await GrpcWire.ReadAsync(context) is not null)
            {
                count++;
            }
            GrpcWire.Begin(context);
            await GrpcWire.WriteAsync(context, GrpcWire.Reply(count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            GrpcWire.Status(context, StatusCode.OK);
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        using var call = client.StreamingInputCall();
        await call.RequestStream.CompleteAsync().WaitAsync(TestTimeouts.Default);

        Assert.Equal("0", (await call.ResponseAsync.WaitAsync(TestTimeouts.Default)).Text);
    }

    [Fact]
    public async Task ClientStreaming_ServerFailsEarly_WriteThrowsServerStatus()
    {
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.ClientStreaming, context =>
        {
            GrpcWire.TrailersOnly(context, StatusCode.PermissionDenied, "not you");
            return Task.CompletedTask;
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        using var call = client.StreamingInputCall();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(TestTimeouts.Default));
        var writeEx = await Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync(new SimpleRequest()).WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, writeEx.StatusCode);
    }

    [Fact]
    public async Task ClientStreaming_OversizeWrite_ResourceExhausted()
    {
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.ClientStreaming, async context =>
        {
            while (await GrpcWire.ReadAsync(context) is not null)
            {
            }
        }));
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { MaxSendMessageSize = 64 });
        var client = new TestService.TestServiceClient(channel);

        using var call = client.StreamingInputCall();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync(new SimpleRequest { Payload = Google.Protobuf.ByteString.CopyFrom(new byte[100]) }).WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        var response = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(TestTimeouts.Default));
        Assert.Equal(StatusCode.ResourceExhausted, response.StatusCode);
    }

    [Fact]
    public async Task Duplex_PingPong_ResponsesArriveBeforeRequestStreamCompletes()
    {
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.Duplex, async context =>
        {
            GrpcWire.Begin(context);
            while (await GrpcWire.ReadAsync(context) is { } request)
            {
                await GrpcWire.WriteAsync(context, GrpcWire.Reply("pong " + request.Text));
            }
            GrpcWire.Status(context, StatusCode.OK);
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        using var call = client.FullDuplexCall();
        for (var i = 0; i < 4; i++)
        {
            await call.RequestStream.WriteAsync(new SimpleRequest { Text = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }).WaitAsync(TestTimeouts.Default);
            // The request stream is still open: this only succeeds if the exchange is really full duplex.
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Default));
            Assert.Equal($"pong {i}", call.ResponseStream.Current.Text);
        }
        await call.RequestStream.CompleteAsync().WaitAsync(TestTimeouts.Default);

        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Default));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Duplex_ServerSpeaksFirst_ReachesServerBeforeClientWrites()
    {
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.Duplex, async context =>
        {
            GrpcWire.Begin(context);
            await GrpcWire.WriteAsync(context, GrpcWire.Reply("welcome"));
            while (await GrpcWire.ReadAsync(context) is not null)
            {
            }
            GrpcWire.Status(context, StatusCode.OK);
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);
        using (var warmUp = client.FullDuplexCall())
        {
            await warmUp.RequestStream.CompleteAsync().WaitAsync(TestTimeouts.Default);
            while (await warmUp.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Default))
            {
            }
        }

        // On an idle, established connection nothing else flushes this call's HEADERS frame; the client must.
        using var call = client.FullDuplexCall();

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Default));
        Assert.Equal("welcome", call.ResponseStream.Current.Text);
        await call.RequestStream.CompleteAsync().WaitAsync(TestTimeouts.Default);
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Default));
    }

    [Fact]
    public async Task Duplex_CancelAfterFirstResponse_CancelledAndServerSeesReset()
    {
        var serverAborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.Duplex, async context =>
        {
            GrpcWire.Begin(context);
            try
            {
                while (await GrpcWire.ReadAsync(context) is { } request)
                {
                    await GrpcWire.WriteAsync(context, GrpcWire.Reply("pong " + request.Text));
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException || context.RequestAborted.IsCancellationRequested)
            {
                serverAborted.TrySetResult();
            }
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);
        using var cts = new CancellationTokenSource();

        using var call = client.FullDuplexCall(cancellationToken: cts.Token);
        await call.RequestStream.WriteAsync(new SimpleRequest { Text = "1" }).WaitAsync(TestTimeouts.Default);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Default));
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Default));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        var writeEx = await Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync(new SimpleRequest()).WaitAsync(TestTimeouts.Default));
        Assert.Equal(StatusCode.Cancelled, writeEx.StatusCode);
        await serverAborted.Task.WaitAsync(TestTimeouts.Default);
    }

    [Fact]
    public async Task Duplex_ConcurrentWrite_Throws()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.Duplex, async context =>
        {
            await release.Task.WaitAsync(context.RequestAborted);
            GrpcWire.TrailersOnly(context, StatusCode.OK);
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        using var call = client.FullDuplexCall();
        // A write larger than the HTTP/2 flow-control window stays pending while the server does not read.
        var first = call.RequestStream.WriteAsync(new SimpleRequest { Payload = Google.Protobuf.ByteString.CopyFrom(new byte[1024 * 1024]) });

        await Assert.ThrowsAsync<InvalidOperationException>(() => call.RequestStream.WriteAsync(new SimpleRequest()).WaitAsync(TestTimeouts.Default));
        release.SetResult();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Default));
        await Assert.ThrowsAnyAsync<Exception>(() => first.WaitAsync(TestTimeouts.Default));
    }
}
