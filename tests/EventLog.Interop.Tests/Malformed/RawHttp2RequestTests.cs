using EventLog.Interop.Tests.Infrastructure;
using EventLog.Interop.Tests.Malformed.Http2;
using Google.Protobuf;
using Grpc.Testing;
using Xunit;

namespace EventLog.Interop.Tests.Malformed;

/// <summary>
/// Malformed gRPC requests written frame by frame on a bare socket (preface, SETTINGS, HEADERS in
/// HPACK literals, DATA), so no HTTP stack on our side fixes or refuses them first. Each one gets a
/// gRPC status in the response HEADERS, the connection stays usable for a valid call, and the server
/// logs no error for what a client did wrong.
/// </summary>
public sealed class RawHttp2RequestTests(SmallLimitServer server) : IClassFixture<SmallLimitServer>
{
    private const string UnaryCall = "/grpc.testing.TestService/UnaryCall";
    private const string StreamingInputCall = "/grpc.testing.TestService/StreamingInputCall";
    private const int Internal = 13;
    private const int ResourceExhausted = 8;

    public static TheoryData<string, string, byte[], int> BadBodies => new()
    {
        { "truncated frame", UnaryCall, RawGrpcClient.Frame(new byte[10], declaredLength: 100), Internal },
        { "truncated frame header", UnaryCall, [0, 0, 0], Internal },
        { "truncated second message", StreamingInputCall, [.. RawGrpcClient.Frame(new StreamingInputCallRequest().ToByteArray()), .. RawGrpcClient.Frame(new byte[4], declaredLength: 40)], Internal },
        { "declared length over the limit", UnaryCall, RawGrpcClient.Frame([], declaredLength: SmallLimitServer.Limit + 1), ResourceExhausted },
        { "declared length 4 GiB", UnaryCall, RawGrpcClient.Frame([], declaredLength: uint.MaxValue), ResourceExhausted },
        // Over the limit for real, in five DATA frames.
        { "message over the limit", UnaryCall, RawGrpcClient.Frame(new byte[SmallLimitServer.Limit + 1]), ResourceExhausted },
        { "garbage bytes", UnaryCall, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), Internal },
        { "random garbage", UnaryCall, RandomBytes(300), Internal },
        { "compressed flag without grpc-encoding", UnaryCall, RawGrpcClient.Frame([0x10, 0x01], compressed: true), Internal },
        { "flag byte neither 0 nor 1", UnaryCall, [2, 0, 0, 0, 0], Internal },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadBody_GetsGrpcStatus_AndTheConnectionStillServes(string why, string path, byte[] body, int expected)
    {
        var errorsBefore = server.Logs.Errors.Count;
        await using var connection = await ConnectAsync();

        var response = await connection.SendAsync(connection.GrpcRequestHeaders(path), body, Timeout()).WithTimeout();

        AssertGrpcStatus(response, expected, why);
        await AssertValidCallAsync(connection);
        server.AssertNoNewErrors(errorsBefore);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1x")]
    [InlineData("S")]
    [InlineData("-5m")]
    [InlineData("123456789S")]
    [InlineData(" 1S")]
    [InlineData("")]
    public async Task BadGrpcTimeout_GetsInternal_AndTheConnectionStillServes(string timeout)
    {
        var errorsBefore = server.Logs.Errors.Count;
        await using var connection = await ConnectAsync();

        var response = await connection.SendAsync(connection.GrpcRequestHeaders(UnaryCall, extra: ("grpc-timeout", timeout)), ValidBody(), Timeout()).WithTimeout();

        AssertGrpcStatus(response, Internal, $"grpc-timeout '{timeout}'");
        await AssertValidCallAsync(connection);
        server.AssertNoNewErrors(errorsBefore);
    }

    [Fact]
    public async Task WrongContentType_Gets415_WithGrpcStatus()
    {
        await using var connection = await ConnectAsync();

        var response = await connection.SendAsync(connection.GrpcRequestHeaders(UnaryCall, contentType: "application/json"), ValidBody(), Timeout()).WithTimeout();

        Assert.True(response.HttpStatus == 415 && response.GrpcStatus == Internal, response.ToString());
        await AssertValidCallAsync(connection);
    }

    [Fact]
    public async Task RequestStreamLeftOpen_UnaryIsAnsweredOnceTheMessageIsIn()
    {
        // No END_STREAM after the message: a unary handler needs the end of the request, which a
        // client that never sends it only gets by its deadline.
        await using var connection = await ConnectAsync();

        var response = await connection.SendAsync(connection.GrpcRequestHeaders(UnaryCall, extra: ("grpc-timeout", "300m")), ValidBody(), Timeout(), endStream: false).WithTimeout();

        Assert.True(response.GrpcStatus == 4, $"expected DEADLINE_EXCEEDED: {response}");
        await AssertValidCallAsync(connection);
    }

    [Fact]
    public async Task TruncatedHttp2Frame_ThenHangUp_ServerKeepsServing()
    {
        var errorsBefore = server.Logs.Errors.Count;
        await using (var connection = await ConnectAsync())
        {
            // HEADERS of a call, then a DATA frame that declares 1000 bytes and carries 10, then the socket closes.
            var headers = HpackEncoder.Encode(connection.GrpcRequestHeaders(UnaryCall));
            await connection.WriteRawAsync(Http2Connection.Frame(Http2Connection.FrameType.Headers, Http2Connection.Flags.EndHeaders, connection.NextStreamId, headers), Timeout()).WithTimeout();
            await connection.WriteRawAsync(Http2Connection.Frame(Http2Connection.FrameType.Data, Http2Connection.Flags.EndStream, connection.NextStreamId, new byte[10], declaredLength: 1000), Timeout()).WithTimeout();
        }

        await using var next = await ConnectAsync();
        await AssertValidCallAsync(next);
        server.AssertNoNewErrors(errorsBefore);
    }

    [Fact]
    public async Task ValidCall_HasTheSpecWireShape_FrameByFrame()
    {
        await using var connection = await ConnectAsync();

        var response = await connection.SendAsync(connection.GrpcRequestHeaders(UnaryCall), ValidBody(), Timeout()).WithTimeout();

        Assert.Equal(200, response.HttpStatus);
        Assert.StartsWith("application/grpc", Http2Response.Header(response.Headers, "content-type"));
        Assert.Null(Http2Response.Header(response.Headers, "grpc-status"));
        Assert.Equal("0", Http2Response.Header(response.Trailers, "grpc-status"));
        Assert.True(response.EndedByServer && response.ResetCode is null, response.ToString());
        Assert.Equal(7, SimpleResponse.Parser.ParseFrom(response.Body.AsSpan(5)).Payload.Body.Length);
    }

    [Fact]
    public async Task ErrorBeforeAnyMessage_IsOneHeadersFrameWithEndStream()
    {
        await using var connection = await ConnectAsync();
        var request = new SimpleRequest { ResponseStatus = new EchoStatus { Code = 5, Message = "gone ☺" } };

        var response = await connection.SendAsync(connection.GrpcRequestHeaders(UnaryCall), RawGrpcClient.Frame(request.ToByteArray()), Timeout()).WithTimeout();

        Assert.True(response.IsTrailersOnly && response.HttpStatus == 200, response.ToString());
        Assert.Equal(5, response.GrpcStatus);
        Assert.Equal("gone %E2%98%BA", response.GrpcMessage);
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TaskTimeouts.Default).Token;

    private Task<Http2Connection> ConnectAsync() => Http2Connection.ConnectAsync(server.Port, Timeout()).WithTimeout();

    private static void AssertGrpcStatus(Http2Response response, int expected, string why)
    {
        Assert.True(response.GrpcStatus == expected, $"{why}: expected grpc-status {expected}, got {response}");
        // A gRPC status, not a bare HTTP error or a reset in place of the answer.
        Assert.True(response.HttpStatus == 200 && response.EndedByServer, $"{why}: {response}");
        Assert.StartsWith("application/grpc", Http2Response.Header(response.Headers, "content-type") ?? "");
    }

    private static async Task AssertValidCallAsync(Http2Connection connection)
    {
        var response = await connection.SendAsync(connection.GrpcRequestHeaders(UnaryCall), ValidBody(), Timeout()).WithTimeout();
        Assert.True(response.HttpStatus == 200 && response.GrpcStatus == 0, $"a valid call after the malformed one failed: {response}");
        Assert.Equal(7, SimpleResponse.Parser.ParseFrom(response.Body.AsSpan(5)).Payload.Body.Length);
    }

    private static byte[] ValidBody() => RawGrpcClient.Frame(new SimpleRequest { ResponseSize = 7 }.ToByteArray());

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(20240611).NextBytes(bytes);
        bytes[0] = 0xA5; // never a valid flag byte
        return bytes;
    }
}
