using EventLog.Interop.Tests.Infrastructure;
using Google.Protobuf;
using Grpc.Testing;
using Xunit;

namespace EventLog.Interop.Tests.Malformed;

/// <summary>
/// Malformed request bodies and headers, hand-framed and sent through HttpClient: each gets a gRPC
/// status (never a crash, a hang or a bare reset), the server logs no error for what a client did wrong,
/// and it still answers a valid call after. <see cref="RawHttp2RequestTests"/> sends the same on a bare
/// socket, frame by frame.
/// </summary>
public sealed class MalformedRequestTests(SmallLimitServer server) : IClassFixture<SmallLimitServer>, IDisposable
{
    private const string UnaryCall = "/grpc.testing.TestService/UnaryCall";
    private const string StreamingInputCall = "/grpc.testing.TestService/StreamingInputCall";
    private const int Internal = 13;
    private const int ResourceExhausted = 8;
    private const int Unimplemented = 12;

    private readonly RawGrpcClient _raw = new(server.Address);

    public static TheoryData<string, string, byte[], int> BadBodies => new()
    {
        { "truncated frame", UnaryCall, RawGrpcClient.Frame(new byte[10], declaredLength: 100), Internal },
        { "truncated frame header", UnaryCall, [0, 0, 0], Internal },
        { "truncated second message", StreamingInputCall, [.. RawGrpcClient.Frame(ValidStreamingRequest()), .. RawGrpcClient.Frame(new byte[4], declaredLength: 40)], Internal },
        { "declared length over the limit", UnaryCall, RawGrpcClient.Frame([], declaredLength: SmallLimitServer.Limit + 1), ResourceExhausted },
        { "declared length 4 GiB", UnaryCall, RawGrpcClient.Frame([], declaredLength: uint.MaxValue), ResourceExhausted },
        { "message over the limit", UnaryCall, RawGrpcClient.Frame(new byte[SmallLimitServer.Limit + 1]), ResourceExhausted },
        { "garbage bytes", UnaryCall, "GET / HTTP/1.1\r\n\r\n"u8.ToArray(), Internal },
        { "garbage protobuf payload", UnaryCall, RawGrpcClient.Frame([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), Internal },
        { "compressed flag without grpc-encoding", UnaryCall, RawGrpcClient.Frame([0x10, 0x01], compressed: true), Internal },
        { "two messages on a unary call", UnaryCall, [.. RawGrpcClient.Frame([]), .. RawGrpcClient.Frame([])], Internal },
        { "no message on a unary call", UnaryCall, [], Internal },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadBody_GetsStatus_AndServerStillAnswers(string why, string path, byte[] body, int expectedStatus)
    {
        var errorsBefore = server.Logs.Errors.Count;

        var response = await _raw.PostAsync(path, body).WithTimeout();

        Assert.True(response.GrpcStatus == expectedStatus, $"{why}: expected grpc-status {expectedStatus}, got {response}");
        await AssertServerStillAnswersAsync();
        server.AssertNoNewErrors(errorsBefore);
    }

    [Fact]
    public async Task CompressedFlagWithUnknownEncoding_GetsUnimplemented()
    {
        var response = await _raw.PostAsync(UnaryCall, RawGrpcClient.Frame([0x10, 0x01], compressed: true), headers: ("grpc-encoding", "snappy")).WithTimeout();

        Assert.True(response.GrpcStatus == Unimplemented, response.ToString());
        Assert.Contains("gzip", response.Headers.GetValueOrDefault("grpc-accept-encoding") ?? "");
        await AssertServerStillAnswersAsync();
    }

    public static TheoryData<string, byte[]> CorruptGzipPayloads()
    {
        var message = new SimpleRequest { ResponseSize = 3, Payload = new Payload { Body = ByteString.CopyFrom(new byte[5000]) } }.ToByteArray();
        using var stream = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(message);
        }
        var valid = stream.ToArray();
        var badCrc = (byte[])valid.Clone();
        badCrc[^8] ^= 0xff;
        return new()
        {
            { "truncated gzip header", [0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad] },
            { "gzip stream cut in half", valid[..(valid.Length / 2)] },
            { "gzip stream without its trailer", valid[..^8] },
            { "gzip stream with a wrong CRC", badCrc },
            { "not gzip at all", "plain text, not gzip"u8.ToArray() },
        };
    }

    [Theory]
    [MemberData(nameof(CorruptGzipPayloads))]
    public async Task CorruptGzipPayload_GetsInternal(string why, byte[] payload)
    {
        var errorsBefore = server.Logs.Errors.Count;

        var response = await _raw.PostAsync(UnaryCall, RawGrpcClient.Frame(payload, compressed: true), headers: ("grpc-encoding", "gzip")).WithTimeout();

        Assert.True(response.GrpcStatus == Internal, $"{why}: expected grpc-status {Internal}, got {response}");
        await AssertServerStillAnswersAsync();
        server.AssertNoNewErrors(errorsBefore);
    }

    [Fact]
    public async Task UncompressedMessage_WithGrpcEncodingGzip_IsReadAsIs()
    {
        // The per-message flag decides; grpc-encoding only names the algorithm of flagged messages.
        var response = await _raw.PostAsync(UnaryCall, ValidUnaryBody(), headers: ("grpc-encoding", "gzip")).WithTimeout();

        Assert.True(response.GrpcStatus == 0, response.ToString());
        Assert.Equal(7, SimpleResponse.Parser.ParseFrom(response.Body.AsSpan(5)).Payload.Body.Length);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("10")]
    [InlineData("S")]
    [InlineData("1x")]
    [InlineData("-1S")]
    [InlineData("123456789S")]
    [InlineData("1.5S")]
    public async Task BadGrpcTimeout_GetsInternal(string timeout)
    {
        var errorsBefore = server.Logs.Errors.Count;

        var response = await _raw.PostAsync(UnaryCall, ValidUnaryBody(), headers: ("grpc-timeout", timeout)).WithTimeout();

        // grpc-go answers a malformed grpc-timeout with INTERNAL too; the call must not run without its deadline.
        Assert.True(response.GrpcStatus == Internal, $"grpc-timeout '{timeout}': {response}");
        await AssertServerStillAnswersAsync();
        server.AssertNoNewErrors(errorsBefore);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/json")]
    [InlineData("application/grpc-web")]
    [InlineData("application/grpcfoo")]
    public async Task WrongContentType_Gets415WithStatus(string contentType)
    {
        var response = await _raw.PostAsync(UnaryCall, ValidUnaryBody(), contentType).WithTimeout();

        Assert.True(response.HttpStatus == 415, response.ToString());
        Assert.True(response.GrpcStatus == Internal, response.ToString());
        await AssertServerStillAnswersAsync();
    }

    [Theory]
    [InlineData("application/grpc")]
    [InlineData("application/grpc+proto")]
    [InlineData("application/grpc; charset=utf-8")]
    public async Task GrpcContentTypes_AreAccepted(string contentType)
    {
        var response = await _raw.PostAsync(UnaryCall, ValidUnaryBody(), contentType).WithTimeout();

        Assert.True(response.HttpStatus == 200 && response.GrpcStatus == 0, response.ToString());
    }

    [Fact]
    public async Task ValidCall_HasWireShapeOfTheSpec()
    {
        var response = await _raw.PostAsync(UnaryCall, ValidUnaryBody()).WithTimeout();

        Assert.Equal(200, response.HttpStatus);
        Assert.StartsWith("application/grpc", response.Headers.GetValueOrDefault("content-type") ?? "");
        Assert.True(response.Trailers.ContainsKey("grpc-status"), $"grpc-status must be a trailer after a message: {response}");
        Assert.Equal(0, response.GrpcStatus);
        var reply = SimpleResponse.Parser.ParseFrom(response.Body.AsSpan(5));
        Assert.Equal(7, reply.Payload.Body.Length);
        Assert.Equal(response.Body.Length - 5, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(response.Body.AsSpan(1)));
    }

    [Fact]
    public async Task ErrorBeforeAnyMessage_IsTrailersOnly_WithSpecPercentEncoding()
    {
        var request = new SimpleRequest { ResponseStatus = new EchoStatus { Code = 3, Message = "100% \"ok\"? ☺\n" } };

        var response = await _raw.PostAsync(UnaryCall, RawGrpcClient.Frame(request.ToByteArray())).WithTimeout();

        Assert.True(response.Headers.ContainsKey("grpc-status") && response.Body.Length == 0, $"expected a trailers-only response: {response}");
        Assert.Equal(3, response.GrpcStatus);
        // Only bytes outside 0x20-0x7E and '%' itself are encoded (RFC 3986 escaping would also encode '"' and '?').
        Assert.Equal("100%25 \"ok\"? %E2%98%BA%0A", response.GrpcMessage);
    }

    public void Dispose() => _raw.Dispose();

    private async Task AssertServerStillAnswersAsync()
    {
        var response = await _raw.PostAsync(UnaryCall, ValidUnaryBody()).WithTimeout();
        Assert.True(response.HttpStatus == 200 && response.GrpcStatus == 0, $"a valid call after the malformed one failed: {response}");
    }

    private static byte[] ValidUnaryBody() => RawGrpcClient.Frame(new SimpleRequest { ResponseSize = 7 }.ToByteArray());

    private static byte[] ValidStreamingRequest() => new StreamingInputCallRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[3]) } }.ToByteArray();
}
