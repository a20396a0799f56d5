using System.Net;
using EventLog.Rpc.Client;
using EventLog.Rpc.Tests.Protos;
using EventLog.Rpc.Tests.TestHost;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EventLog.Rpc.Tests.Client;

public class GrpcChannelStatusTests
{
    private const string SpecialMessage = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";

    [Fact]
    public async Task Unary_TrailersOnlyError_ThrowsWithDecodedMessageAndHeaders()
    {
        await using var server = await StartUnaryAsync(context =>
        {
            GrpcWire.TrailersOnly(context, StatusCode.NotFound, SpecialMessage);
            context.Response.Headers["x-reason"] = "missing";
            return Task.CompletedTask;
        });
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        using var call = client.UnaryCallAsync(new SimpleRequest());
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal(SpecialMessage, ex.Status.Detail);
        Assert.Equal("missing", ex.Trailers.GetValue("x-reason"));
        Assert.Equal(StatusCode.NotFound, call.GetStatus().StatusCode);
        Assert.Equal("missing", call.GetTrailers().GetValue("x-reason"));
        Assert.Equal("missing", (await call.ResponseHeadersAsync.WaitAsync(TestTimeouts.Default)).GetValue("x-reason"));
    }

    [Fact]
    public async Task Unary_StatusDetailsInTrailers_GetRpcStatusReturnsDetails()
    {
        var details = new Google.Rpc.Status
        {
            Code = (int)StatusCode.InvalidArgument,
            Message = "bad",
            Details =
            {
                Google.Protobuf.WellKnownTypes.Any.Pack(new ErrorInfo { Reason = "EMPTY_NAME", Domain = "eventlog.v1" }),
                Google.Protobuf.WellKnownTypes.Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = "name", Description = "required" } } }),
            },
        };
        await using var server = await StartUnaryAsync(async context =>
        {
            await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            await context.Response.StartAsync(context.RequestAborted);
            // Unpadded base64, as some peers send it.
            context.Response.AppendTrailer("grpc-status-details-bin", Convert.ToBase64String(details.ToByteArray()).TrimEnd('='));
            GrpcWire.Status(context, StatusCode.InvalidArgument, "bad");
        });
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest()).ResponseAsync.WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var status = ex.GetRpcStatus();
        Assert.NotNull(status);
        Assert.Equal("EMPTY_NAME", status.GetDetail<ErrorInfo>()!.Reason);
        Assert.Equal("name", status.GetDetail<BadRequest>()!.FieldViolations[0].Field);
    }

    [Fact]
    public async Task Unary_ErrorAfterMessage_ThrowsStatus()
    {
        await using var server = await StartUnaryAsync(async context =>
        {
            await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            await GrpcWire.WriteAsync(context, GrpcWire.Reply("partial"));
            GrpcWire.Status(context, StatusCode.Aborted, "conflict");
        });
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest()).ResponseAsync.WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.Aborted, ex.StatusCode);
        Assert.Equal("conflict", ex.Status.Detail);
    }

    [Fact]
    public async Task Unary_OkWithoutMessage_Internal()
    {
        await using var server = await StartUnaryAsync(async context =>
        {
            await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            await context.Response.StartAsync(context.RequestAborted);
            GrpcWire.Status(context, StatusCode.OK);
        });
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        using var call = client.UnaryCallAsync(new SimpleRequest());
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Equal(StatusCode.Internal, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Unary_TrailersOnlyOk_Internal()
    {
        await using var server = await StartUnaryAsync(context =>
        {
            GrpcWire.TrailersOnly(context, StatusCode.OK);
            return Task.CompletedTask;
        });
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest()).ResponseAsync.WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Unary_TwoMessages_Internal()
    {
        await using var server = await StartUnaryAsync(async context =>
        {
            await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            await GrpcWire.WriteAsync(context, GrpcWire.Reply("one"));
            await GrpcWire.WriteAsync(context, GrpcWire.Reply("two"));
            GrpcWire.Status(context, StatusCode.OK);
        });
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest()).ResponseAsync.WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Unary_MissingGrpcStatus_Unknown()
    {
        await using var server = await StartUnaryAsync(async context =>
        {
            await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            await GrpcWire.WriteAsync(context, GrpcWire.Reply("no status"));
        });
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest()).ResponseAsync.WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
    }

    [Theory]
    [InlineData(400, StatusCode.Internal)]
    [InlineData(401, StatusCode.Unauthenticated)]
    [InlineData(403, StatusCode.PermissionDenied)]
    [InlineData(404, StatusCode.Unimplemented)]
    [InlineData(429, StatusCode.Unavailable)]
    [InlineData(502, StatusCode.Unavailable)]
    [InlineData(503, StatusCode.Unavailable)]
    [InlineData(504, StatusCode.Unavailable)]
    [InlineData(500, StatusCode.Unknown)]
    [InlineData(415, StatusCode.Unknown)]
    public async Task Unary_HttpError_MapsPerSpec(int httpStatus, StatusCode expected)
    {
        await using var server = await StartUnaryAsync(async context =>
        {
            context.Response.StatusCode = httpStatus;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("nope", context.RequestAborted);
        });
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest()).ResponseAsync.WaitAsync(TestTimeouts.Default));

        Assert.Equal(expected, ex.StatusCode);
        Assert.Contains(httpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unary_UnknownPath_Unimplemented()
    {
        await using var server = await TestServer.StartAsync(_ => { });
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest()).ResponseAsync.WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task Unary_NonGrpcContentType_Internal()
    {
        await using var server = await StartUnaryAsync(async context =>
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html/>", context.RequestAborted);
        });
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest()).ResponseAsync.WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains("text/html", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unary_OversizeResponse_ResourceExhausted()
    {
        await using var server = await StartUnaryAsync(async context =>
        {
            await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            await GrpcWire.WriteAsync(context, GrpcWire.Reply("big", 2048));
            GrpcWire.Status(context, StatusCode.OK);
        });
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 1024 });
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest()).ResponseAsync.WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Unary_DefaultReceiveLimit_RejectsMessageOver4MiB()
    {
        await using var server = await StartUnaryAsync(async context =>
        {
            await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            await GrpcWire.WriteAsync(context, GrpcWire.Reply("big", (4 * 1024 * 1024) + 1));
            GrpcWire.Status(context, StatusCode.OK);
        });
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest()).ResponseAsync.WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Unary_OversizeRequest_ResourceExhaustedWithoutSending()
    {
        var hits = 0;
        await using var server = await StartUnaryAsync(context =>
        {
            Interlocked.Increment(ref hits);
            return Task.CompletedTask;
        });
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { MaxSendMessageSize = 100 });
        var client = new TestService.TestServiceClient(channel);

        using var call = client.UnaryCallAsync(new SimpleRequest { Payload = ByteString.CopyFrom(new byte[200]) });
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(0, hits);
        await Assert.ThrowsAsync<RpcException>(() => call.ResponseHeadersAsync.WaitAsync(TestTimeouts.Default));
    }

    [Fact]
    public async Task Unary_ConnectionRefused_Unavailable()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var client = new TestService.TestServiceClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest()).ResponseAsync.WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    private static Task<TestServer> StartUnaryAsync(RequestDelegate handler) =>
        TestServer.StartAsync(app => app.MapPost(Paths.Unary, handler));
}
