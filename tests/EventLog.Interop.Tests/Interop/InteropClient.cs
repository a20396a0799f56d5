using EventLog.Interop.Tests.Infrastructure;
using EventLog.Interop.Tests.Services;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Testing;
using Xunit;

namespace EventLog.Interop.Tests.Interop;

/// <summary>
/// Our client's side of gRPC's interop test cases (doc/interop-test-descriptions.md), over the
/// generated TestService client. Every call has a deadline and every await a timeout.
/// </summary>
public sealed class InteropClient(ChannelBase channel)
{
    /// <summary>The status message of special_status_message: whitespace, BMP and non-BMP characters.</summary>
    public const string SpecialStatusMessage = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";

    private readonly TestService.TestServiceClient _client = new(channel);

    /// <summary>The interop case names, as the python client spells them.</summary>
    public static TheoryData<string> CaseNames => new()
    {
        "empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong", "empty_stream",
        "status_code_and_message", "special_status_message", "custom_metadata", "timeout_on_sleeping_server",
        "cancel_after_begin", "cancel_after_first_response", "unimplemented_method", "unimplemented_service",
    };

    /// <summary>Every byte value, for the -bin keys of custom_metadata.</summary>
    private static readonly byte[] EveryByte = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();

    /// <summary>Every printable ASCII character (what a text value may hold), between two words.</summary>
    private static readonly string EveryPrintableCharacter = "text " + new string(Enumerable.Range(0x20, 0x7f - 0x20).Select(c => (char)c).ToArray()) + " end";

    /// <summary>
    /// Not official interop cases: with both peers at the default 4 MiB receive limit, a 5 MiB message
    /// either way ends the call with RESOURCE_EXHAUSTED, and the channel keeps working.
    /// </summary>
    public static TheoryData<string> SizeLimitCaseNames => new() { "request_over_server_limit", "response_over_client_limit" };

    private const int OverLimit = 5 * 1024 * 1024;

    private static DateTime Deadline => DateTime.UtcNow.AddSeconds(15);

    /// <summary>Runs one case by name.</summary>
    public Task RunAsync(string testCase) => testCase switch
    {
        "empty_unary" => EmptyUnaryAsync(),
        "large_unary" => LargeUnaryAsync(),
        "client_streaming" => ClientStreamingAsync(),
        "server_streaming" => ServerStreamingAsync(),
        "ping_pong" => PingPongAsync(),
        "empty_stream" => EmptyStreamAsync(),
        "status_code_and_message" => StatusCodeAndMessageAsync(),
        "special_status_message" => SpecialStatusMessageAsync(),
        "custom_metadata" => CustomMetadataAsync(),
        "timeout_on_sleeping_server" => TimeoutOnSleepingServerAsync(),
        "cancel_after_begin" => CancelAfterBeginAsync(),
        "cancel_after_first_response" => CancelAfterFirstResponseAsync(),
        "unimplemented_method" => UnimplementedMethodAsync(),
        "unimplemented_service" => UnimplementedServiceAsync(),
        "request_over_server_limit" => OverLimitAsync(new SimpleRequest { ResponseSize = 1, Payload = Zeros(OverLimit) }),
        "response_over_client_limit" => OverLimitAsync(new SimpleRequest { ResponseSize = OverLimit }),
        _ => throw new ArgumentOutOfRangeException(nameof(testCase), testCase, "Unknown interop case."),
    };

    private async Task EmptyUnaryAsync()
    {
        var response = await _client.EmptyCallAsync(new Empty(), deadline: Deadline).ResponseAsync.WithTimeout();
        Assert.NotNull(response);
    }

    private async Task LargeUnaryAsync()
    {
        var request = new SimpleRequest { ResponseType = PayloadType.Compressable, ResponseSize = 314159, Payload = Zeros(271828) };
        var response = await _client.UnaryCallAsync(request, deadline: Deadline).ResponseAsync.WithTimeout();
        AssertZeros(response.Payload, 314159);
    }

    private async Task ClientStreamingAsync()
    {
        using var call = _client.StreamingInputCall(deadline: Deadline);
        foreach (var size in new[] { 27182, 8, 1828, 45904 })
        {
            await call.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = Zeros(size) }).WithTimeout();
        }
        await call.RequestStream.CompleteAsync().WithTimeout();
        var response = await call.ResponseAsync.WithTimeout();
        Assert.Equal(74922, response.AggregatedPayloadSize);
    }

    private async Task ServerStreamingAsync()
    {
        int[] sizes = [31415, 9, 2653, 58979];
        var request = new StreamingOutputCallRequest { ResponseType = PayloadType.Compressable };
        request.ResponseParameters.AddRange(sizes.Select(size => new ResponseParameters { Size = size }));
        using var call = _client.StreamingOutputCall(request, deadline: Deadline);
        var received = new List<int>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None).WithTimeout())
        {
            AssertZeros(call.ResponseStream.Current.Payload, call.ResponseStream.Current.Payload.Body.Length);
            received.Add(call.ResponseStream.Current.Payload.Body.Length);
        }
        Assert.Equal(sizes, received);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    private async Task PingPongAsync()
    {
        int[] responseSizes = [31415, 9, 2653, 58979];
        int[] requestSizes = [27182, 8, 1828, 45904];
        using var call = _client.FullDuplexCall(deadline: Deadline);
        for (var i = 0; i < responseSizes.Length; i++)
        {
            await call.RequestStream.WriteAsync(StreamingRequest(responseSizes[i], requestSizes[i])).WithTimeout();
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WithTimeout(), $"no response to request {i}");
            AssertZeros(call.ResponseStream.Current.Payload, responseSizes[i]);
        }
        await call.RequestStream.CompleteAsync().WithTimeout();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WithTimeout(), "a response after the last request");
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    private async Task EmptyStreamAsync()
    {
        using var call = _client.FullDuplexCall(deadline: Deadline);
        await call.RequestStream.CompleteAsync().WithTimeout();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WithTimeout(), "a response to an empty stream");
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    private async Task StatusCodeAndMessageAsync()
    {
        const string message = "test status message";
        var echo = new EchoStatus { Code = 2, Message = message };

        var unary = await Assert.ThrowsAsync<RpcException>(() => _client.UnaryCallAsync(
            new SimpleRequest { ResponseSize = 1, Payload = Zeros(1), ResponseStatus = echo }, deadline: Deadline).ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.Unknown, unary.StatusCode);
        Assert.Equal(message, unary.Status.Detail);

        using var call = _client.FullDuplexCall(deadline: Deadline);
        var request = StreamingRequest(1, 0);
        request.ResponseStatus = echo;
        await call.RequestStream.WriteAsync(request).WithTimeout();
        await call.RequestStream.CompleteAsync().WithTimeout();
        var duplex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WithTimeout());
        Assert.Equal(StatusCode.Unknown, duplex.StatusCode);
        Assert.Equal(message, duplex.Status.Detail);
    }

    private async Task SpecialStatusMessageAsync()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.UnaryCallAsync(
            new SimpleRequest { ResponseSize = 1, Payload = Zeros(1), ResponseStatus = new EchoStatus { Code = 2, Message = SpecialStatusMessage } },
            deadline: Deadline).ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Equal(SpecialStatusMessage, error.Status.Detail);
    }

    private async Task CustomMetadataAsync()
    {
        const string initialValue = "test_initial_metadata_value";
        byte[] trailingValue = [0xab, 0xab, 0xab];
        var headers = new Metadata
        {
            { TestServiceImpl.EchoInitialKey, initialValue },
            { TestServiceImpl.EchoTrailingKey, trailingValue },
            { TestServiceImpl.EchoInitialBinaryKey, EveryByte },
            { TestServiceImpl.EchoTrailingTextKey, EveryPrintableCharacter },
        };

        using (var unary = _client.UnaryCallAsync(new SimpleRequest { ResponseSize = 314159, Payload = Zeros(271828) }, headers, Deadline))
        {
            AssertZeros((await unary.ResponseAsync.WithTimeout()).Payload, 314159);
            AssertEchoed(await unary.ResponseHeadersAsync.WithTimeout(), unary.GetTrailers());
        }

        using var duplex = _client.FullDuplexCall(headers, Deadline);
        await duplex.RequestStream.WriteAsync(StreamingRequest(314159, 271828)).WithTimeout();
        await duplex.RequestStream.CompleteAsync().WithTimeout();
        var responseHeaders = await duplex.ResponseHeadersAsync.WithTimeout();
        Assert.True(await duplex.ResponseStream.MoveNext(CancellationToken.None).WithTimeout());
        AssertZeros(duplex.ResponseStream.Current.Payload, 314159);
        Assert.False(await duplex.ResponseStream.MoveNext(CancellationToken.None).WithTimeout());
        AssertEchoed(responseHeaders, duplex.GetTrailers());

        void AssertEchoed(Metadata initial, Metadata trailing)
        {
            Assert.Equal(initialValue, initial.GetValue(TestServiceImpl.EchoInitialKey));
            Assert.Equal(EveryByte, initial.GetValueBytes(TestServiceImpl.EchoInitialBinaryKey));
            Assert.Equal(trailingValue, trailing.GetValueBytes(TestServiceImpl.EchoTrailingKey));
            Assert.Equal(EveryPrintableCharacter, trailing.GetValue(TestServiceImpl.EchoTrailingTextKey));
        }
    }

    private async Task TimeoutOnSleepingServerAsync()
    {
        using var call = _client.FullDuplexCall(deadline: DateTime.UtcNow.AddMilliseconds(1));
        try
        {
            await call.RequestStream.WriteAsync(new StreamingOutputCallRequest { Payload = Zeros(27182) }).WithTimeout();
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.DeadlineExceeded)
        {
            // The deadline may pass before the write; the status is what the case checks.
        }
        catch (InvalidOperationException)
        {
            // Writing to a call that already ended is allowed to fail like this too (grpc-dotnet's interop client).
        }
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WithTimeout());
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    private async Task CancelAfterBeginAsync()
    {
        using var cts = new CancellationTokenSource();
        using var call = _client.StreamingInputCall(deadline: Deadline, cancellationToken: cts.Token);
        // Let the call reach the server before cancelling it (as grpc-dotnet's interop client does).
        await Task.Delay(200);
        cts.Cancel();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    private async Task CancelAfterFirstResponseAsync()
    {
        using var cts = new CancellationTokenSource();
        using var call = _client.FullDuplexCall(deadline: Deadline, cancellationToken: cts.Token);
        await call.RequestStream.WriteAsync(StreamingRequest(31415, 27182)).WithTimeout();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WithTimeout());
        AssertZeros(call.ResponseStream.Current.Payload, 31415);
        cts.Cancel();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WithTimeout());
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    private async Task UnimplementedMethodAsync()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.UnimplementedCallAsync(new Empty(), deadline: Deadline).ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    private async Task UnimplementedServiceAsync()
    {
        var client = new UnimplementedService.UnimplementedServiceClient(channel);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.UnimplementedCallAsync(new Empty(), deadline: Deadline).ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    private async Task OverLimitAsync(SimpleRequest request)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.UnaryCallAsync(request, deadline: Deadline).ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        var after = await _client.UnaryCallAsync(new SimpleRequest { ResponseSize = 3 }, deadline: Deadline).ResponseAsync.WithTimeout();
        AssertZeros(after.Payload, 3);
    }

    private static StreamingOutputCallRequest StreamingRequest(int responseSize, int payloadSize) => new()
    {
        ResponseType = PayloadType.Compressable,
        ResponseParameters = { new ResponseParameters { Size = responseSize } },
        Payload = Zeros(payloadSize),
    };

    private static Payload Zeros(int size) => new() { Type = PayloadType.Compressable, Body = ByteString.CopyFrom(new byte[size]) };

    private static void AssertZeros(Payload payload, int size)
    {
        Assert.NotNull(payload);
        Assert.Equal(size, payload.Body.Length);
        Assert.True(payload.Body.Span.IndexOfAnyExcept((byte)0) < 0, "payload body is not all zeros");
    }
}
