using System.IO.Compression;
using EventLog.Rpc.Server.Tests.Infrastructure;
using EventLog.Rpc.Server.Tests.Protos;
using Google.Protobuf;

namespace EventLog.Rpc.Server.Tests;

public sealed class ProtocolTests
{
    private const string EchoPath = "/eventlog.rpctest.RpcTest/Echo";

    [Fact]
    public async Task Error_BeforeAnyMessage_IsTrailersOnly()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var raw = host.CreateRawClient();

        var response = await RawGrpc.SendAsync(raw, EchoPath, RawGrpc.Frame(new EchoRequest { Text = "bad 100% ☺", FailWithCode = 3 }));

        Assert.Equal(200, response.HttpStatus);
        Assert.Equal("3", response.GrpcStatus);
        Assert.Empty(response.Body);
        Assert.False(response.HadTrailers);
        // Only bytes outside 0x20-0x7E and '%' are percent-encoded.
        Assert.Equal("bad 100%25 %E2%98%BA", response.GrpcMessage);
    }

    [Fact]
    public async Task Success_SendsStatusInTrailers()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var raw = host.CreateRawClient();

        var response = await RawGrpc.SendAsync(raw, EchoPath, RawGrpc.Frame(new EchoRequest { Text = "hi" }));

        Assert.Equal("0", response.GrpcStatus);
        Assert.True(response.HadTrailers);
        Assert.Equal("hi", EchoResponse.Parser.ParseFrom(response.Body.AsSpan(5)).Text);
    }

    [Fact]
    public async Task ResponseCompression_WhenConfiguredAndAccepted_SendsGzipFrames()
    {
        await using var host = await RuntimeHost.StartAsync(o => o.ResponseCompression = "gzip");
        using var raw = host.CreateRawClient();
        var payload = ByteString.CopyFrom(new byte[10_000]);

        var response = await RawGrpc.SendAsync(raw, EchoPath, RawGrpc.Frame(new EchoRequest { Payload = payload }), headers: ("grpc-accept-encoding", "identity,gzip"));

        Assert.Equal("gzip", response.GrpcEncoding);
        Assert.Equal(1, response.Body[0]);
        using var gzip = new GZipStream(new MemoryStream(response.Body, 5, response.Body.Length - 5), CompressionMode.Decompress);
        Assert.Equal(payload, EchoResponse.Parser.ParseFrom(gzip).Payload);
        Assert.True(response.Body.Length < 1_000);
    }

    [Fact]
    public async Task GzipRequest_IsDecoded()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var raw = host.CreateRawClient();
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            new EchoRequest { Text = "zipped" }.WriteTo(gzip);
        }

        var response = await RawGrpc.SendAsync(raw, EchoPath, RawGrpc.Frame(compressed.ToArray(), compressedFlag: true), headers: ("grpc-encoding", "gzip"));

        Assert.Equal("0", response.GrpcStatus);
        Assert.Equal("zipped", EchoResponse.Parser.ParseFrom(response.Body.AsSpan(5)).Text);
    }

    [Fact]
    public async Task UnknownEncoding_IsUnimplemented()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var raw = host.CreateRawClient();

        var response = await RawGrpc.SendAsync(raw, EchoPath, RawGrpc.Frame(new EchoRequest()), headers: ("grpc-encoding", "snappy"));

        Assert.Equal("12", response.GrpcStatus);
    }

    [Fact]
    public async Task MessageOverReceiveLimit_IsResourceExhausted()
    {
        await using var host = await RuntimeHost.StartAsync(o => o.MaxReceiveMessageSize = 1024);
        using var raw = host.CreateRawClient();

        var response = await RawGrpc.SendAsync(raw, EchoPath, RawGrpc.Frame(new EchoRequest { Payload = ByteString.CopyFrom(new byte[4096]) }));

        Assert.Equal("8", response.GrpcStatus);
    }

    [Fact]
    public async Task ResponseOverSendLimit_IsResourceExhausted()
    {
        await using var host = await RuntimeHost.StartAsync(o => o.MaxSendMessageSize = 1024);
        using var raw = host.CreateRawClient();

        var response = await RawGrpc.SendAsync(raw, EchoPath, RawGrpc.Frame(new EchoRequest { Payload = ByteString.CopyFrom(new byte[4096]) }));

        Assert.Equal("8", response.GrpcStatus);
    }

    [Theory]
    [InlineData("/eventlog.rpctest.RpcTest/Nope")]
    [InlineData("/eventlog.rpctest.Missing/Echo")]
    public async Task UnknownServiceOrMethod_IsUnimplemented(string path)
    {
        await using var host = await RuntimeHost.StartAsync();
        using var raw = host.CreateRawClient();

        var response = await RawGrpc.SendAsync(raw, path, RawGrpc.Frame(new EchoRequest()));

        Assert.Equal("12", response.GrpcStatus);
    }

    [Theory]
    [InlineData("/eventlog.rpctest.RpcTest/Nope", "Method is unimplemented: /eventlog.rpctest.RpcTest/Nope")]
    [InlineData("/eventlog.rpctest.Missing/Echo", "Service is unimplemented: /eventlog.rpctest.Missing/Echo")]
    [InlineData("/not-even-two-segments", "Service is unimplemented: /not-even-two-segments")]
    public async Task UnknownPath_IsTrailersOnlyUnimplemented_NamingWhatIsMissing(string path, string message)
    {
        await using var host = await RuntimeHost.StartAsync();
        using var raw = host.CreateRawClient();

        var response = await RawGrpc.SendAsync(raw, path, RawGrpc.Frame(new EchoRequest()));

        Assert.Equal((200, "12", message, false), (response.HttpStatus, response.GrpcStatus, response.GrpcMessage, response.HadTrailers));
    }

    [Fact]
    public async Task UnknownPath_WithoutGrpcContentType_IsPlain404()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var raw = host.CreateRawClient();

        var response = await RawGrpc.SendAsync(raw, "/eventlog.rpctest.Missing/Echo", RawGrpc.Frame(new EchoRequest()), contentType: "application/json");

        Assert.Equal((404, null), (response.HttpStatus, response.GrpcStatus));
    }

    [Fact]
    public async Task WrongContentType_Is415()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var raw = host.CreateRawClient();

        var response = await RawGrpc.SendAsync(raw, EchoPath, RawGrpc.Frame(new EchoRequest()), contentType: "application/json");

        Assert.Equal(415, response.HttpStatus);
    }

    [Fact]
    public async Task ContentTypeWithProtoSuffix_IsAccepted()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var raw = host.CreateRawClient();

        var response = await RawGrpc.SendAsync(raw, EchoPath, RawGrpc.Frame(new EchoRequest { Text = "x" }), contentType: "application/grpc+proto");

        Assert.Equal("0", response.GrpcStatus);
    }

    [Fact]
    public async Task UnknownPath_VeryLong_IsEchoedShortEnoughForClientHeaderLimits()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var raw = host.CreateRawClient();
        // Near Kestrel's own limit for a request line (8 KiB); unshortened, grpc-message and the details together
        // would be about 16 KiB, twice what grpc-java accepts for a whole header list.
        var path = "/eventlog.rpctest.Missing/" + new string('x', 7_000);

        var response = await RawGrpc.SendAsync(raw, path, RawGrpc.Frame(new EchoRequest()));

        Assert.Equal("12", response.GrpcStatus);
        AssertShortened(response, "Service is unimplemented: /eventlog.rpctest.Missing/xxx");
    }

    [Theory]
    [InlineData("☺")]
    [InlineData("😈")]
    [InlineData("x%")]
    public async Task HandlerError_WithHugeMessage_IsShortenedInMessageAndDetailsAlike(string unit)
    {
        await using var host = await RuntimeHost.StartAsync();
        using var raw = host.CreateRawClient();
        // An odd start so a cut by code units would split a surrogate pair.
        var text = "a" + string.Concat(Enumerable.Repeat(unit, 50_000));

        var response = await RawGrpc.SendAsync(raw, EchoPath, RawGrpc.Frame(new EchoRequest { Text = text, FailWithCode = 3 }));

        Assert.Equal("3", response.GrpcStatus);
        AssertShortened(response, "a" + unit + unit);
    }

    [Fact]
    public async Task HandlerError_WithMessageJustUnderTheBound_IsSentWhole()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var raw = host.CreateRawClient();
        var text = new string('y', 2048);

        var response = await RawGrpc.SendAsync(raw, EchoPath, RawGrpc.Frame(new EchoRequest { Text = text, FailWithCode = 9 }));

        Assert.Equal((text, text), (response.GrpcMessage, response.StatusDetails?.Message));
    }

    private static void AssertShortened(RawResponse response, string expectedStart)
    {
        Assert.NotNull(response.GrpcMessage);
        Assert.InRange(response.GrpcMessage.Length, 1, 2048);
        var message = Uri.UnescapeDataString(response.GrpcMessage);
        Assert.StartsWith(expectedStart, message, StringComparison.Ordinal);
        Assert.EndsWith("...", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', message);
        // The google.rpc.Status carries the same message, so its header is bounded too.
        Assert.Equal(message, response.StatusDetails?.Message);
    }
}
