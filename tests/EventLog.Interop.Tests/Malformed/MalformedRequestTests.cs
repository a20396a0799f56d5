using System.IO.Compression;
using EventLog.V1;
using Google.Protobuf;

namespace EventLog.Interop.Tests.Malformed;

/// <summary>
/// Malformed request bodies and headers, hand-framed and sent through HttpClient to the real host: each
/// gets a gRPC status (never a crash, a hang or a bare reset), the server logs no error for what a client
/// did wrong, and it still answers a valid call after. <see cref="RawHttp2RequestTests"/> sends the same
/// on a bare socket, frame by frame.
/// </summary>
public sealed class MalformedRequestTests(SmallLimitHostFixture host) : IClassFixture<SmallLimitHostFixture>, IDisposable
{
    private const string ListMessages = "/eventlog.v1.MessagesService/ListMessages";
    private const string CreateMessage = "/eventlog.v1.MessagesService/CreateMessage";
    private const string WatchMessages = "/eventlog.v1.MessagesService/WatchMessages";
    private const string AppendTaskLog = "/eventlog.v1.TaskLogService/AppendTaskLog";
    private const int InvalidArgument = 3;
    private const int ResourceExhausted = 8;
    private const int Unimplemented = 12;
    private const int Internal = 13;

    private readonly RawGrpcClient _raw = new(host.Address, host.Token);

    /// <summary>(why, method, body, expected grpc-status, expected ErrorInfo reason or null).</summary>
    public static TheoryData<string, string, byte[], int, string?> BadBodies => new()
    {
        { "truncated frame", ListMessages, RawGrpcClient.Frame(new byte[10], declaredLength: 100), Internal, null },
        { "truncated frame header", ListMessages, [0, 0, 0], Internal, null },
        { "declared length over the limit", ListMessages, RawGrpcClient.Frame([], declaredLength: SmallLimitHostFixture.Limit + 1), ResourceExhausted, null },
        { "declared length 4 GiB", ListMessages, RawGrpcClient.Frame([], declaredLength: uint.MaxValue), ResourceExhausted, null },
        { "message over the limit", ListMessages, RawGrpcClient.Frame(new byte[SmallLimitHostFixture.Limit + 1]), ResourceExhausted, null },
        { "garbage bytes", ListMessages, "GET / HTTP/1.1\r\n\r\n"u8.ToArray(), Internal, null },
        { "compressed flag without grpc-encoding", ListMessages, RawGrpcClient.Frame([0x10, 0x01], compressed: true), Internal, null },
        { "two messages on a unary call", ListMessages, [.. RawGrpcClient.Frame([]), .. RawGrpcClient.Frame([])], Internal, null },
        { "no message on a unary call", ListMessages, [], Internal, null },
        // Well framed, but the protobuf inside cannot be parsed: the server's own marshaller answers these.
        { "garbage protobuf payload", ListMessages, RawGrpcClient.Frame([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), Internal, "MALFORMED_MESSAGE" },
        { "protobuf varint cut off", ListMessages, RawGrpcClient.Frame([0x10, 0xff]), Internal, "MALFORMED_MESSAGE" },
        { "protobuf string longer than the message", CreateMessage, RawGrpcClient.Frame([0x12, 0x7f, 0x41]), Internal, "MALFORMED_MESSAGE" },
        { "unparseable request of a server stream", WatchMessages, RawGrpcClient.Frame([0x10, 0xff]), Internal, "MALFORMED_MESSAGE" },
        { "unparseable first message of a client stream", AppendTaskLog, RawGrpcClient.Frame([0x22, 0x05, 0x61]), Internal, "MALFORMED_MESSAGE" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadBody_GetsStatus_AndServerStillAnswers(string why, string path, byte[] body, int expectedStatus, string? expectedReason)
    {
        var mark = host.OutputMark;

        var response = await _raw.PostAsync(path, body).WithTimeout();

        Assert.True(response.GrpcStatus == expectedStatus, $"{why}: expected grpc-status {expectedStatus}, got {response}");
        if (expectedReason is not null)
        {
            Assert.True(response.Reason == expectedReason, $"{why}: expected reason {expectedReason}, got {response}");
        }
        await AssertServerStillAnswersAsync();
        await host.AssertNoErrorLogsAsync(mark);
    }

    [Fact]
    public async Task TruncatedSecondMessageOfAClientStream_GetsInternal()
    {
        var mark = host.OutputMark;
        var task = await host.StartTaskAsync();
        var first = new AppendTaskLogRequest { TaskId = task.Id, Lines = { "first line" } }.ToByteArray();

        var response = await _raw.PostAsync(AppendTaskLog, [.. RawGrpcClient.Frame(first), .. RawGrpcClient.Frame(new byte[4], declaredLength: 40)]).WithTimeout();

        Assert.True(response.GrpcStatus == Internal, response.ToString());
        await AssertServerStillAnswersAsync();
        await host.AssertNoErrorLogsAsync(mark);
    }

    [Fact]
    public async Task UnreadableFrameHeaderOfASecondMessage_GetsInternal()
    {
        var mark = host.OutputMark;
        var task = await host.StartTaskAsync();
        var first = new AppendTaskLogRequest { TaskId = task.Id, Lines = { "first line" } }.ToByteArray();

        var response = await _raw.PostAsync(AppendTaskLog, [.. RawGrpcClient.Frame(first), 2, 0, 0, 0, 0]).WithTimeout();

        Assert.True(response.GrpcStatus == Internal, response.ToString());
        await AssertServerStillAnswersAsync();
        await host.AssertNoErrorLogsAsync(mark);
    }

    [Theory]
    [InlineData("%%% not base64 %%%")]
    [InlineData("a")]
    public async Task BinaryHeaderThatIsNotBase64_GetsInternal(string value)
    {
        var mark = host.OutputMark;

        var response = await _raw.PostAsync(ListMessages, ValidBody(), headers: ("x-eventlog-trace-bin", value)).WithTimeout();

        Assert.True(response.GrpcStatus == Internal, response.ToString());
        await AssertServerStillAnswersAsync();
        await host.AssertNoErrorLogsAsync(mark);
    }

    [Fact]
    public async Task CompressedFlagWithUnknownEncoding_GetsUnimplemented_NamingGzip()
    {
        var mark = host.OutputMark;

        var response = await _raw.PostAsync(ListMessages, RawGrpcClient.Frame([0x10, 0x01], compressed: true), headers: ("grpc-encoding", "snappy")).WithTimeout();

        Assert.True(response.GrpcStatus == Unimplemented, response.ToString());
        Assert.Contains("gzip", response.Headers.GetValueOrDefault("grpc-accept-encoding") ?? "");
        await AssertServerStillAnswersAsync();
        await host.AssertNoErrorLogsAsync(mark);
    }

    public static TheoryData<string, byte[]> CorruptGzipPayloads()
    {
        // Long enough that half of its deflate stream is a real cut, not only a missing trailer.
        var valid = Gzip(new ListMessagesRequest { PageSize = 1, RequestId = new string('x', 200) }.ToByteArray());
        var badCrc = (byte[])valid.Clone();
        badCrc[^8] ^= 0xff;
        return new()
        {
            { "truncated gzip header", [0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad] },
            { "gzip stream cut in half", valid[..(valid.Length / 2)] },
            { "gzip stream without its trailer", valid[..^8] },
            { "gzip stream with a wrong CRC", badCrc },
            { "not gzip at all", "plain text, not gzip"u8.ToArray() },
            { "gzip stream cut at a field boundary", CutAtFieldBoundary() },
        };
    }

    [Theory]
    [MemberData(nameof(CorruptGzipPayloads))]
    public async Task CorruptGzipPayload_GetsInternal(string why, byte[] payload)
    {
        var mark = host.OutputMark;

        var response = await _raw.PostAsync(ListMessages, RawGrpcClient.Frame(payload, compressed: true), headers: ("grpc-encoding", "gzip")).WithTimeout();

        Assert.True(response.GrpcStatus == Internal, $"{why}: expected grpc-status {Internal}, got {response}");
        await AssertServerStillAnswersAsync();
        await host.AssertNoErrorLogsAsync(mark);
    }

    [Fact]
    public async Task UncompressedMessage_WithGrpcEncodingGzip_IsReadAsIs()
    {
        // The per-message flag decides; grpc-encoding only names the algorithm of flagged messages.
        var response = await _raw.PostAsync(ListMessages, ValidBody(), headers: ("grpc-encoding", "gzip")).WithTimeout();

        Assert.True(response.GrpcStatus == 0, response.ToString());
        ListMessagesResponse.Parser.ParseFrom(response.FirstMessage);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("10")]
    [InlineData("S")]
    [InlineData("1x")]
    [InlineData("-1S")]
    [InlineData("123456789S")]
    [InlineData("1.5S")]
    public async Task BadGrpcTimeout_GetsAStatus_AndNoErrorIsLogged(string timeout)
    {
        var mark = host.OutputMark;

        var response = await _raw.PostAsync(ListMessages, ValidBody(), headers: ("grpc-timeout", timeout)).WithTimeout();

        // The spec names no status for an unreadable grpc-timeout (grpc-go answers INTERNAL, grpc-dotnet runs
        // the call without a deadline); what matters is that the call ends with one and nothing breaks.
        Assert.True(response.GrpcStatus is not null, $"grpc-timeout '{timeout}': {response}");
        await AssertServerStillAnswersAsync();
        await host.AssertNoErrorLogsAsync(mark);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/json")]
    [InlineData("application/grpc-web")]
    [InlineData("application/grpcfoo")]
    public async Task WrongContentType_Gets415WithStatus(string contentType)
    {
        var mark = host.OutputMark;

        var response = await _raw.PostAsync(ListMessages, ValidBody(), contentType).WithTimeout();

        Assert.True(response.HttpStatus == 415, response.ToString());
        Assert.True(response.GrpcStatus == Internal, response.ToString());
        await AssertServerStillAnswersAsync();
        await host.AssertNoErrorLogsAsync(mark);
    }

    [Theory]
    [InlineData("application/grpc")]
    [InlineData("application/grpc+proto")]
    [InlineData("application/grpc; charset=utf-8")]
    public async Task GrpcContentTypes_AreAccepted(string contentType)
    {
        var response = await _raw.PostAsync(ListMessages, ValidBody(), contentType).WithTimeout();

        Assert.True(response.HttpStatus == 200 && response.GrpcStatus == 0, response.ToString());
    }

    [Fact]
    public async Task ValidCall_HasWireShapeOfTheSpec()
    {
        var response = await _raw.PostAsync(ListMessages, ValidBody()).WithTimeout();

        Assert.Equal(200, response.HttpStatus);
        Assert.StartsWith("application/grpc", response.Headers.GetValueOrDefault("content-type") ?? "");
        Assert.True(response.Trailers.ContainsKey("grpc-status"), $"grpc-status must be a trailer after a message: {response}");
        Assert.Equal(0, response.GrpcStatus);
        Assert.Equal(0, response.Body[0]);
        Assert.Equal(response.Body.Length - 5, response.FirstMessage.Length);
        ListMessagesResponse.Parser.ParseFrom(response.FirstMessage);
    }

    [Fact]
    public async Task ErrorBeforeAnyMessage_IsTrailersOnly_WithSpecPercentEncoding()
    {
        // The server echoes an unknown catalog code in its message: caller text with '%', quotes, non-ASCII and a newline.
        var request = new CreateMessageRequest { RequestId = "req-percent", ActionCode = "001", DetailCode = "100% \"ok\"? ☺\n", Level = MessageLevel.Error };

        var response = await _raw.PostAsync(CreateMessage, RawGrpcClient.Frame(request.ToByteArray())).WithTimeout();

        Assert.True(response.Headers.ContainsKey("grpc-status") && response.Body.Length == 0 && response.Trailers.Count == 0, $"expected a trailers-only response: {response}");
        Assert.Equal(InvalidArgument, response.GrpcStatus);
        Assert.Equal("INVALID_ARGUMENT", response.Reason);
        // Only bytes outside 0x20-0x7E and '%' itself are encoded (RFC 3986 escaping would also encode '"' and '?').
        Assert.Equal("detail_code: '100%25 \"ok\"? %E2%98%BA%0A' is not a code of the message catalog", response.GrpcMessage);
    }

    public void Dispose() => _raw.Dispose();

    private async Task AssertServerStillAnswersAsync()
    {
        var response = await _raw.PostAsync(ListMessages, ValidBody()).WithTimeout();
        Assert.True(response.HttpStatus == 200 && response.GrpcStatus == 0, $"a valid call after the malformed one failed: {response}");
    }

    /// <summary>
    /// A ListMessagesRequest in a gzip stream of one stored (uncompressed) deflate block, cut right after the
    /// resource_type field: what inflates before the cut is a valid, shorter request without its request_id.
    /// </summary>
    private static byte[] CutAtFieldBoundary()
    {
        var message = new ListMessagesRequest { PageSize = 1, ResourceType = "volume", RequestId = new string('x', 100) }.ToByteArray();
        // request_id (field 8) is written last: its tag, its one-byte length, its 100 bytes.
        var prefix = message[..^102];
        byte[] header = [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff];
        var length = (ushort)message.Length;
        byte[] storedBlock = [0x01, (byte)length, (byte)(length >> 8), (byte)~length, (byte)(~length >> 8)];
        return [.. header, .. storedBlock, .. prefix];
    }

    private static byte[] ValidBody() => RawGrpcClient.Frame(new ListMessagesRequest { PageSize = 1 }.ToByteArray());

    private static byte[] Gzip(byte[] data)
    {
        using var stream = new MemoryStream();
        using (var gzip = new GZipStream(stream, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return stream.ToArray();
    }
}
