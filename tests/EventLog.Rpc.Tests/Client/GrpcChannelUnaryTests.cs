using System.Buffers;
using System.Text;
using EventLog.Rpc.Client;
using EventLog.Rpc.Tests.Protos;
using EventLog.Rpc.Tests.TestHost;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EventLog.Rpc.Tests.Client;

public class GrpcChannelUnaryTests
{
    [Fact]
    public async Task Unary_Ok_SendsProtocolHeadersAndReturnsHeadersTrailersAndStatus()
    {
        IHeaderDictionary? seen = null;
        string? protocol = null;
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.Unary, async context =>
        {
            seen = context.Request.Headers;
            protocol = context.Request.Protocol;
            var request = await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            context.Response.Headers["echo-initial"] = context.Request.Headers["x-text"];
            context.Response.Headers["echo-initial-bin"] = context.Request.Headers["x-data-bin"];
            await GrpcWire.WriteAsync(context, GrpcWire.Reply("hello " + request!.Text));
            context.Response.AppendTrailer("echo-trailing-bin", Convert.ToBase64String([0xAB, 0xAB, 0xAB]));
            GrpcWire.Status(context, StatusCode.OK);
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);
        var headers = new Metadata { { "x-text", "value" }, { "x-data-bin", new byte[] { 0, 1, 0xFE, 0xFF } } };

        using var call = client.UnaryCallAsync(new SimpleRequest { Text = "world" }, headers);
        var response = await call.ResponseAsync.WaitAsync(TestTimeouts.Default);
        var responseHeaders = await call.ResponseHeadersAsync.WaitAsync(TestTimeouts.Default);

        Assert.Equal("hello world", response.Text);
        Assert.Equal("HTTP/2", protocol);
        Assert.Equal("application/grpc", seen!["content-type"]);
        Assert.Equal("trailers", seen["te"]);
        Assert.StartsWith("eventlog-dotnet/1.0", seen["user-agent"].ToString(), StringComparison.Ordinal);
        Assert.Equal("identity,gzip", seen["grpc-accept-encoding"]);
        Assert.False(seen.ContainsKey("grpc-encoding"));
        Assert.False(seen.ContainsKey("grpc-timeout"));
        Assert.Equal("value", responseHeaders.GetValue("echo-initial"));
        Assert.Equal(new byte[] { 0, 1, 0xFE, 0xFF }, responseHeaders.GetValueBytes("echo-initial-bin"));
        Assert.Null(responseHeaders.Get("content-type"));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal(new byte[] { 0xAB, 0xAB, 0xAB }, call.GetTrailers().GetValueBytes("echo-trailing-bin"));
        Assert.Null(call.GetTrailers().Get("grpc-status"));
    }

    [Fact]
    public async Task Unary_WithDeadline_SendsGrpcTimeout()
    {
        string? timeout = null;
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.Unary, async context =>
        {
            timeout = context.Request.Headers["grpc-timeout"];
            await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            await GrpcWire.WriteAsync(context, GrpcWire.Reply("ok"));
            GrpcWire.Status(context, StatusCode.OK);
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        await client.UnaryCallAsync(new SimpleRequest(), deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync.WaitAsync(TestTimeouts.Default);

        Assert.True(EventLog.Rpc.Internal.GrpcTimeout.TryParse(timeout, out var parsed), timeout);
        Assert.InRange(parsed, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Unary_LargeMessages_RoundTrip()
    {
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.Unary, async context =>
        {
            var request = await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            await GrpcWire.WriteAsync(context, GrpcWire.Reply(request!.Payload.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), 314_159));
            GrpcWire.Status(context, StatusCode.OK);
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        var response = await client.UnaryCallAsync(new SimpleRequest { Payload = Google.Protobuf.ByteString.CopyFrom(new byte[271_828]) }).ResponseAsync.WaitAsync(TestTimeouts.Default);

        Assert.Equal("271828", response.Text);
        Assert.Equal(314_159, response.Payload.Length);
    }

    [Fact]
    public async Task Unary_Gzip_CompressesRequestAndDecompressesResponse()
    {
        string? requestEncoding = null;
        byte compressedFlag = 0xFF;
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.Unary, async context =>
        {
            requestEncoding = context.Request.Headers["grpc-encoding"];
            var peek = await context.Request.BodyReader.ReadAtLeastAsync(1, context.RequestAborted);
            compressedFlag = peek.Buffer.FirstSpan[0];
            context.Request.BodyReader.AdvanceTo(peek.Buffer.Start);
            var request = await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            context.Response.Headers["grpc-encoding"] = "gzip";
            await GrpcWire.WriteAsync(context, GrpcWire.Reply(request!.Text, 10_000), compressEncoding: "gzip");
            GrpcWire.Status(context, StatusCode.OK);
        }));
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { CompressRequests = true });
        var client = new TestService.TestServiceClient(channel);

        var response = await client.UnaryCallAsync(new SimpleRequest { Text = new string('x', 5000) }).ResponseAsync.WaitAsync(TestTimeouts.Default);

        Assert.Equal("gzip", requestEncoding);
        Assert.Equal(1, compressedFlag);
        Assert.Equal(5000, response.Text.Length);
        Assert.Equal(10_000, response.Payload.Length);
    }

    [Fact]
    public async Task Unary_CallCredentials_AddAuthorizationHeader()
    {
        string? authorization = null;
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.Unary, async context =>
        {
            authorization = context.Request.Headers.Authorization;
            await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            await GrpcWire.WriteAsync(context, GrpcWire.Reply("ok"));
            GrpcWire.Status(context, StatusCode.OK);
        }));
        var options = new GrpcChannelOptions
        {
            CallCredentials = (metadata, _) =>
            {
                metadata.Add("authorization", "Bearer token-123");
                return ValueTask.CompletedTask;
            },
        };
        using var channel = GrpcChannel.ForAddress(server.Address, options);
        var client = new TestService.TestServiceClient(channel);

        await client.UnaryCallAsync(new SimpleRequest()).ResponseAsync.WaitAsync(TestTimeouts.Default);

        Assert.Equal("Bearer token-123", authorization);
    }

    [Fact]
    public async Task Unary_CallCredentialsThrow_Unavailable()
    {
        var hits = 0;
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.Unary, context =>
        {
            Interlocked.Increment(ref hits);
            return Task.CompletedTask;
        }));
        var options = new GrpcChannelOptions { CallCredentials = (_, _) => throw new InvalidOperationException("no token") };
        using var channel = GrpcChannel.ForAddress(server.Address, options);
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest()).ResponseAsync.WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Contains("no token", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, hits);
    }

    [Fact]
    public async Task BlockingUnaryCall_ReturnsResponse()
    {
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.Unary, async context =>
        {
            var request = await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            await GrpcWire.WriteAsync(context, GrpcWire.Reply(request!.Text.ToUpperInvariant()));
            GrpcWire.Status(context, StatusCode.OK);
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        var response = await Task.Run(() => client.UnaryCall(new SimpleRequest { Text = "sync" })).WaitAsync(TestTimeouts.Default);

        Assert.Equal("SYNC", response.Text);
    }

    [Fact]
    public async Task StringMarshaller_RawMethod_RoundTrips()
    {
        await using var server = await TestServer.StartAsync(app => app.MapPost("/raw.Echo/Say", async context =>
        {
            var read = await context.Request.BodyReader.ReadAtLeastAsync(6, context.RequestAborted);
            var payload = read.Buffer.Slice(5).ToArray();
            context.Request.BodyReader.AdvanceTo(read.Buffer.End);
            GrpcWire.Begin(context);
            var reply = Encoding.UTF8.GetBytes("echo:" + Encoding.UTF8.GetString(payload));
            await context.Response.Body.WriteAsync(new byte[] { 0, 0, 0, 0, (byte)reply.Length }, context.RequestAborted);
            await context.Response.Body.WriteAsync(reply, context.RequestAborted);
            GrpcWire.Status(context, StatusCode.OK);
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var method = new Method<string, string>(MethodType.Unary, "raw.Echo", "Say", Marshallers.StringMarshaller, Marshallers.StringMarshaller);

        var response = await channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(), "hi").ResponseAsync.WaitAsync(TestTimeouts.Default);

        Assert.Equal("echo:hi", response);
    }
}
