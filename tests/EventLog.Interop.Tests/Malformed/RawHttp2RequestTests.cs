using EventLog.Interop.Tests.Malformed.Http2;
using EventLog.V1;
using Google.Protobuf;

namespace EventLog.Interop.Tests.Malformed;

/// <summary>
/// Malformed gRPC requests written frame by frame on a bare socket to the real host (preface, SETTINGS,
/// HEADERS in HPACK literals, DATA), so no HTTP stack on our side fixes or refuses them first. Each one
/// ends its stream with a clear answer (a gRPC status, or RST_STREAM/GOAWAY for what breaks HTTP/2
/// itself), never leaves it open, the server still serves a valid call, and it logs no error for what a
/// client did wrong.
/// </summary>
public sealed class RawHttp2RequestTests(SmallLimitHostFixture host) : IClassFixture<SmallLimitHostFixture>
{
    private const string ListMessages = "/eventlog.v1.MessagesService/ListMessages";
    private const string CreateMessage = "/eventlog.v1.MessagesService/CreateMessage";
    private const int DeadlineExceeded = 4;
    private const int ResourceExhausted = 8;
    private const int Unimplemented = 12;
    private const int Internal = 13;
    private const int Unauthenticated = 16;
    private const int ProtocolError = 1;

    public static TheoryData<string, byte[], int> BadBodies => new()
    {
        { "truncated frame", RawGrpcClient.Frame(new byte[10], declaredLength: 100), Internal },
        { "truncated frame header", [0, 0, 0], Internal },
        { "declared length over the limit", RawGrpcClient.Frame([], declaredLength: SmallLimitHostFixture.Limit + 1), ResourceExhausted },
        { "declared length 4 GiB", RawGrpcClient.Frame([], declaredLength: uint.MaxValue), ResourceExhausted },
        // Over the limit for real, in five DATA frames.
        { "message over the limit", RawGrpcClient.Frame(new byte[SmallLimitHostFixture.Limit + 1]), ResourceExhausted },
        { "garbage bytes", "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), Internal },
        { "random garbage", RandomBytes(300), Internal },
        { "compressed flag without grpc-encoding", RawGrpcClient.Frame([0x10, 0x01], compressed: true), Internal },
        { "flag byte neither 0 nor 1", [2, 0, 0, 0, 0], Internal },
        { "unparseable protobuf", RawGrpcClient.Frame([0x10, 0xff]), Internal },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadBody_GetsGrpcStatus_AndTheConnectionStillServes(string why, byte[] body, int expected)
    {
        var mark = host.OutputMark;
        await using var connection = await ConnectAsync();

        var response = await connection.SendAsync(Headers(connection, ListMessages), body, Timeout()).WithTimeout();

        AssertGrpcStatus(response, expected, why);
        await AssertValidCallAsync(connection);
        await host.AssertNoErrorLogsAsync(mark);
    }

    public static TheoryData<string, string, string[], int> BadCallHeaders => new()
    {
        { "no authorization", ListMessages, [], Unauthenticated },
        { "authorization of another scheme", ListMessages, ["authorization", "Basic aW50ZXJvcDp4"], Unauthenticated },
        { "unknown token", ListMessages, ["authorization", "Bearer not-a-configured-token"], Unauthenticated },
        { "unknown method", "/eventlog.v1.MessagesService/NoSuchMethod", ["authorization", "Bearer " + Hosting.InteropTokens.Admin], Unimplemented },
        { "unknown service", "/eventlog.v9.NoSuchService/ListMessages", ["authorization", "Bearer " + Hosting.InteropTokens.Admin], Unimplemented },
    };

    [Theory]
    [MemberData(nameof(BadCallHeaders))]
    public async Task BadCallHeaders_GetGrpcStatus_AndTheConnectionStillServes(string why, string path, string[] headers, int expected)
    {
        var mark = host.OutputMark;
        await using var connection = await ConnectAsync();

        var response = await connection.SendAsync(connection.GrpcRequestHeaders(path, extra: Pairs(headers)), ValidBody(), Timeout()).WithTimeout();

        AssertGrpcStatus(response, expected, why);
        await AssertValidCallAsync(connection);
        await host.AssertNoErrorLogsAsync(mark);
    }

    public static TheoryData<string, string[]> MalformedHttp2Headers => new()
    {
        // RFC 9113 8.1.1 and 8.2-8.3: malformed requests, a stream error of type PROTOCOL_ERROR (5.4.1: or a connection error).
        { "upper-case field name", [":method", "POST", ":scheme", "http", ":authority", "x", ":path", ListMessages, "Content-Type", "application/grpc"] },
        { "no :path", [":method", "POST", ":scheme", "http", ":authority", "x", "content-type", "application/grpc"] },
        { "pseudo-header after a regular field", [":method", "POST", "content-type", "application/grpc", ":scheme", "http", ":authority", "x", ":path", ListMessages] },
        { "connection-specific field", [":method", "POST", ":scheme", "http", ":authority", "x", ":path", ListMessages, "content-type", "application/grpc", "connection", "keep-alive"] },
        { "te other than trailers", [":method", "POST", ":scheme", "http", ":authority", "x", ":path", ListMessages, "content-type", "application/grpc", "te", "gzip"] },
        { "unknown pseudo-header", [":method", "POST", ":scheme", "http", ":authority", "x", ":path", ListMessages, ":protocol-x", "1", "content-type", "application/grpc"] },
    };

    [Theory]
    [MemberData(nameof(MalformedHttp2Headers))]
    public async Task MalformedHttp2Headers_EndTheStreamWithProtocolError_AndTheServerKeepsServing(string why, string[] headers)
    {
        var mark = host.OutputMark;
        await using var connection = await ConnectAsync();

        Http2Response? response = null;
        try
        {
            response = await connection.SendAsync(Pairs(headers), ValidBody(), Timeout()).WithTimeout();
        }
        catch (IOException) when (connection.GoAwayCode is not null)
        {
            // A connection error: the server sent GOAWAY and closed the connection, which ends the stream too.
        }

        Assert.True(
            response?.ResetCode == ProtocolError || (response is null && connection.GoAwayCode == ProtocolError),
            $"{why}: expected RST_STREAM or GOAWAY with PROTOCOL_ERROR, got {response?.ToString() ?? $"GOAWAY {connection.GoAwayCode}"}");
        if (response is not null)
        {
            await AssertValidCallAsync(connection);
        }
        await using var next = await ConnectAsync();
        await AssertValidCallAsync(next);
        await host.AssertNoErrorLogsAsync(mark);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1x")]
    [InlineData("S")]
    [InlineData("-5m")]
    [InlineData("123456789S")]
    [InlineData(" 1S")]
    [InlineData("")]
    public async Task BadGrpcTimeout_GetsAGrpcStatus_AndTheConnectionStillServes(string timeout)
    {
        var mark = host.OutputMark;
        await using var connection = await ConnectAsync();

        var response = await connection.SendAsync(Headers(connection, ListMessages, ("grpc-timeout", timeout)), ValidBody(), Timeout()).WithTimeout();

        // The spec names no status for an unreadable grpc-timeout (grpc-go answers INTERNAL, grpc-dotnet runs the
        // call without a deadline): any status will do, as long as the stream ends with one.
        Assert.True(response.GrpcStatus is not null && response.EndedByServer, $"grpc-timeout '{timeout}': {response}");
        await AssertValidCallAsync(connection);
        await host.AssertNoErrorLogsAsync(mark);
    }

    [Fact]
    public async Task WrongContentType_Gets415_WithGrpcStatus()
    {
        await using var connection = await ConnectAsync();

        var response = await connection.SendAsync(Headers(connection, ListMessages, contentType: "application/json"), ValidBody(), Timeout()).WithTimeout();

        Assert.True(response.HttpStatus == 415 && response.GrpcStatus == Internal, response.ToString());
        await AssertValidCallAsync(connection);
    }

    [Fact]
    public async Task RequestStreamLeftOpen_UnaryEndsAtItsDeadline()
    {
        // No END_STREAM after the message: a unary handler needs the end of the request, which a
        // client that never sends it only gets by its deadline.
        var mark = host.OutputMark;
        await using var connection = await ConnectAsync();

        var response = await connection.SendAsync(Headers(connection, ListMessages, ("grpc-timeout", "300m")), ValidBody(), Timeout(), endStream: false).WithTimeout();

        Assert.True(response.GrpcStatus == DeadlineExceeded && response.EndedByServer, $"expected DEADLINE_EXCEEDED: {response}");
        await AssertValidCallAsync(connection);
        await host.AssertNoErrorLogsAsync(mark);
    }

    [Fact]
    public async Task DeadlinesPassingWhileTheCallRuns_EndDeadlineExceededOrOk_AndNoErrorIsLogged()
    {
        // A bare socket enforces no deadline of its own: every answer is the server's. Deadlines of 0 to 19 ms fall
        // before, during and after the handler and the writing of its response; grpc-dotnet's own deadline timer
        // could end the call while the response was written, and logged that as an error.
        var mark = host.OutputMark;
        await using var connection = await ConnectAsync();
        var outcomes = new Dictionary<int, int>();

        for (var i = 0; i < 200; i++)
        {
            var response = await connection.SendAsync(Headers(connection, ListMessages, ("grpc-timeout", $"{i % 20}m")), ValidBody(), Timeout()).WithTimeout();

            Assert.True(response.HttpStatus == 200 && response.EndedByServer && response.GrpcStatus is 0 or DeadlineExceeded, $"grpc-timeout {i % 20}m: {response}");
            if (response.GrpcStatus == DeadlineExceeded)
            {
                Assert.Equal("DEADLINE_EXCEEDED", StatusDetails.Reason(Http2Response.Header(response.Trailers, "grpc-status-details-bin") ?? Http2Response.Header(response.Headers, "grpc-status-details-bin")));
            }
            outcomes[response.GrpcStatus!.Value] = outcomes.GetValueOrDefault(response.GrpcStatus!.Value) + 1;
        }

        Assert.True(outcomes.ContainsKey(0) && outcomes.ContainsKey(DeadlineExceeded), $"both outcomes expected: {string.Join(", ", outcomes)}");
        await AssertValidCallAsync(connection);
        await host.AssertNoErrorLogsAsync(mark);
    }

    [Theory]
    [InlineData("99999999H", 0)] // about 11,400 years: past the last DateTime, so no deadline in effect
    [InlineData("99999999M", 0)]
    [InlineData("99999999S", 0)] // 3 years: longer than one timer can wait
    [InlineData("99999999m", 0)]
    [InlineData("0S", DeadlineExceeded)] // passed on arrival
    [InlineData("0m", DeadlineExceeded)]
    [InlineData("50n", DeadlineExceeded)] // under one tick
    [InlineData("1u", DeadlineExceeded)]
    public async Task ExtremeButWellFormedTimeouts_AreKept(string timeout, int expected)
    {
        var mark = host.OutputMark;
        await using var connection = await ConnectAsync();

        var response = await connection.SendAsync(Headers(connection, ListMessages, ("grpc-timeout", timeout)), ValidBody(), Timeout()).WithTimeout();

        AssertGrpcStatus(response, expected, $"grpc-timeout {timeout}");
        await AssertValidCallAsync(connection);
        await host.AssertNoErrorLogsAsync(mark);
    }

    [Fact]
    public async Task WaitTask_PastItsDeadline_IsDeadlineExceeded_FromTheHandler()
    {
        // The handler sees the call's deadline: WaitTask tells a deadline (its own detail) from a cancellation.
        await using var connection = await ConnectAsync();
        var start = new StartTaskRequest { RequestId = "req-raw-wait", App = "kimchi", TargetUri = "/raw/wait" };
        var started = await connection.SendAsync(Headers(connection, "/eventlog.v1.TaskLogService/StartTask"), RawGrpcClient.Frame(start.ToByteArray()), Timeout()).WithTimeout();
        Assert.True(started.GrpcStatus == 0, started.ToString());
        var task = StartTaskResponse.Parser.ParseFrom(started.Body.AsSpan(5)).Task;

        var response = await connection.SendAsync(Headers(connection, "/eventlog.v1.TaskLogService/WaitTask", ("grpc-timeout", "300m")), RawGrpcClient.Frame(new WaitTaskRequest { TaskId = task.Id }.ToByteArray()), Timeout()).WithTimeout();

        Assert.True(response.GrpcStatus == DeadlineExceeded && response.EndedByServer, response.ToString());
        Assert.StartsWith($"Task {task.Id} is still", response.GrpcMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedHttp2Frame_ThenHangUp_ServerKeepsServing()
    {
        var mark = host.OutputMark;
        await using (var connection = await ConnectAsync())
        {
            // HEADERS of a call, then a DATA frame that declares 1000 bytes and carries 10, then the socket closes.
            var headers = HpackEncoder.Encode(Headers(connection, ListMessages));
            await connection.WriteRawAsync(Http2Connection.Frame(Http2Connection.FrameType.Headers, Http2Connection.Flags.EndHeaders, connection.NextStreamId, headers), Timeout()).WithTimeout();
            await connection.WriteRawAsync(Http2Connection.Frame(Http2Connection.FrameType.Data, Http2Connection.Flags.EndStream, connection.NextStreamId, new byte[10], declaredLength: 1000), Timeout()).WithTimeout();
        }

        await using var next = await ConnectAsync();
        await AssertValidCallAsync(next);
        await host.AssertNoErrorLogsAsync(mark);
    }

    [Fact]
    public async Task DataOnStreamZero_IsAConnectionError_AndTheServerKeepsServing()
    {
        var mark = host.OutputMark;
        await using (var connection = await ConnectAsync())
        {
            await connection.WriteRawAsync(Http2Connection.Frame(Http2Connection.FrameType.Data, 0, 0, new byte[8]), Timeout()).WithTimeout();

            // RFC 9113 6.1: DATA not on a stream is a connection error of type PROTOCOL_ERROR: GOAWAY, then close.
            await connection.Closed.WithTimeout();
            Assert.Equal(ProtocolError, connection.GoAwayCode);
        }

        await using var next = await ConnectAsync();
        await AssertValidCallAsync(next);
        await host.AssertNoErrorLogsAsync(mark);
    }

    [Fact]
    public async Task ValidCall_HasTheSpecWireShape_FrameByFrame()
    {
        await using var connection = await ConnectAsync();

        var response = await connection.SendAsync(Headers(connection, ListMessages), ValidBody(), Timeout()).WithTimeout();

        Assert.Equal(200, response.HttpStatus);
        Assert.StartsWith("application/grpc", Http2Response.Header(response.Headers, "content-type"));
        Assert.Null(Http2Response.Header(response.Headers, "grpc-status"));
        Assert.Equal("0", Http2Response.Header(response.Trailers, "grpc-status"));
        Assert.True(response.EndedByServer && response.ResetCode is null, response.ToString());
        ListMessagesResponse.Parser.ParseFrom(response.Body.AsSpan(5));
    }

    [Fact]
    public async Task ErrorBeforeAnyMessage_IsOneHeadersFrameWithEndStream()
    {
        await using var connection = await ConnectAsync();
        var request = new CreateMessageRequest { RequestId = "req-raw", ActionCode = "001", DetailCode = "gone ☺", Level = MessageLevel.Error };

        var response = await connection.SendAsync(Headers(connection, CreateMessage), RawGrpcClient.Frame(request.ToByteArray()), Timeout()).WithTimeout();

        Assert.True(response.IsTrailersOnly && response.HttpStatus == 200, response.ToString());
        Assert.Equal(3, response.GrpcStatus);
        Assert.Equal("detail_code: 'gone %E2%98%BA' is not a code of the message catalog", response.GrpcMessage);
        Assert.Equal("INVALID_ARGUMENT", StatusDetails.Reason(Http2Response.Header(response.Headers, "grpc-status-details-bin")));
    }

    // Theory data holds header fields as name, value, name, value...: xunit can show and rerun string arrays one case at a time.
    private static (string Name, string Value)[] Pairs(string[] fields) =>
        Enumerable.Range(0, fields.Length / 2).Select(i => (fields[2 * i], fields[(2 * i) + 1])).ToArray();

    private static CancellationToken Timeout() => TestTimeouts.Token();

    private Task<Http2Connection> ConnectAsync() => Http2Connection.ConnectAsync(host.Port, Timeout()).WithTimeout();

    private List<(string Name, string Value)> Headers(Http2Connection connection, string path, params (string Name, string Value)[] extra) =>
        Headers(connection, path, "application/grpc", extra);

    private List<(string Name, string Value)> Headers(Http2Connection connection, string path, string contentType, params (string Name, string Value)[] extra) =>
        connection.GrpcRequestHeaders(path, contentType, [("authorization", "Bearer " + host.Token), .. extra]);

    private static void AssertGrpcStatus(Http2Response response, int expected, string why)
    {
        Assert.True(response.GrpcStatus == expected, $"{why}: expected grpc-status {expected}, got {response}");
        // A gRPC status, not a bare HTTP error or a reset in place of the answer.
        Assert.True(response.HttpStatus == 200 && response.EndedByServer, $"{why}: {response}");
        Assert.StartsWith("application/grpc", Http2Response.Header(response.Headers, "content-type") ?? "");
    }

    private async Task AssertValidCallAsync(Http2Connection connection)
    {
        var response = await connection.SendAsync(Headers(connection, ListMessages), ValidBody(), Timeout()).WithTimeout();
        Assert.True(response.HttpStatus == 200 && response.GrpcStatus == 0, $"a valid call after the malformed one failed: {response}");
        ListMessagesResponse.Parser.ParseFrom(response.Body.AsSpan(5));
    }

    private static byte[] ValidBody() => RawGrpcClient.Frame(new ListMessagesRequest { PageSize = 1 }.ToByteArray());

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(20240611).NextBytes(bytes);
        bytes[0] = 0xA5; // never a valid flag byte
        return bytes;
    }
}
