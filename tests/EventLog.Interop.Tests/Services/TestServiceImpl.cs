using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Testing;

namespace EventLog.Interop.Tests.Services;

/// <summary>
/// The interop TestService as gRPC's interop test descriptions define it: payloads of zeros of the
/// requested sizes, <c>response_status</c> ends the call with that status, the
/// <c>x-grpc-test-echo-initial</c> header and <c>x-grpc-test-echo-trailing-bin</c> trailer are echoed
/// (and, beyond the official case, <c>x-eventlog-echo-initial-bin</c> and <c>x-eventlog-echo-trailing</c>,
/// so both kinds of value travel both ways), and <c>interval_us</c> sleeps honour the call's cancellation. UnimplementedCall is left to the base
/// class (UNIMPLEMENTED). Self-contained: the benchmark server compiles this same file.
/// </summary>
public sealed class TestServiceImpl : TestService.TestServiceBase
{
    /// <summary>Request header echoed as a response header.</summary>
    public const string EchoInitialKey = "x-grpc-test-echo-initial";

    /// <summary>Request header echoed as a trailer.</summary>
    public const string EchoTrailingKey = "x-grpc-test-echo-trailing-bin";

    /// <summary>Binary request header echoed as a response header (not in the official case).</summary>
    public const string EchoInitialBinaryKey = "x-eventlog-echo-initial-bin";

    /// <summary>Text request header echoed as a trailer (not in the official case).</summary>
    public const string EchoTrailingTextKey = "x-eventlog-echo-trailing";

    private readonly ConcurrentQueue<string> _cancelledCalls = new();

    /// <summary>
    /// Methods whose handler ended because its <see cref="ServerCallContext.CancellationToken"/> fired
    /// (client reset or deadline), so tests can check the server side saw the cancellation.
    /// </summary>
    public IReadOnlyCollection<string> CancelledCalls => _cancelledCalls;

    /// <inheritdoc/>
    public override async Task<Empty> EmptyCall(Empty request, ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        return new Empty();
    }

    /// <inheritdoc/>
    public override async Task<SimpleResponse> UnaryCall(SimpleRequest request, ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        ThrowIfStatusRequested(request.ResponseStatus);
        return new SimpleResponse { Payload = Zeros(request.ResponseSize) };
    }

    /// <inheritdoc/>
    public override async Task StreamingOutputCall(StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        await ObserveCancellation(context, () => RespondAsync(request, responseStream, context));
    }

    /// <inheritdoc/>
    public override async Task<StreamingInputCallResponse> StreamingInputCall(IAsyncStreamReader<StreamingInputCallRequest> requestStream, ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        var size = 0;
        await ObserveCancellation(context, async () =>
        {
            while (await requestStream.MoveNext(context.CancellationToken))
            {
                size += requestStream.Current.Payload?.Body.Length ?? 0;
            }
        });
        return new StreamingInputCallResponse { AggregatedPayloadSize = size };
    }

    /// <inheritdoc/>
    public override async Task FullDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        await ObserveCancellation(context, async () =>
        {
            while (await requestStream.MoveNext(context.CancellationToken))
            {
                await RespondAsync(requestStream.Current, responseStream, context);
            }
        });
    }

    /// <inheritdoc/>
    public override async Task HalfDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        await ObserveCancellation(context, async () =>
        {
            var requests = new List<StreamingOutputCallRequest>();
            while (await requestStream.MoveNext(context.CancellationToken))
            {
                requests.Add(requestStream.Current);
            }
            foreach (var request in requests)
            {
                await RespondAsync(request, responseStream, context);
            }
        });
    }

    private static async Task RespondAsync(StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        ThrowIfStatusRequested(request.ResponseStatus);
        foreach (var parameters in request.ResponseParameters)
        {
            if (parameters.IntervalUs > 0)
            {
                await Task.Delay(TimeSpan.FromMicroseconds(parameters.IntervalUs), context.CancellationToken);
            }
            await responseStream.WriteAsync(new StreamingOutputCallResponse { Payload = Zeros(parameters.Size) });
        }
    }

    private static readonly string[] EchoInitialKeys = [EchoInitialKey, EchoInitialBinaryKey];
    private static readonly string[] EchoTrailingKeys = [EchoTrailingKey, EchoTrailingTextKey];

    // Synchronous when there is nothing to echo, as in most calls (benchmarks run through here too).
    private static Task EchoMetadataAsync(ServerCallContext context)
    {
        var headers = context.RequestHeaders;
        foreach (var key in EchoTrailingKeys)
        {
            if (headers.Get(key) is { } entry)
            {
                context.ResponseTrailers.Add(entry);
            }
        }
        Metadata? initial = null;
        foreach (var key in EchoInitialKeys)
        {
            if (headers.Get(key) is { } entry)
            {
                (initial ??= []).Add(entry);
            }
        }
        return initial is null ? Task.CompletedTask : context.WriteResponseHeadersAsync(initial);
    }

    private static void ThrowIfStatusRequested(EchoStatus? status)
    {
        if (status is not null && status.Code != 0)
        {
            throw new RpcException(new Status((StatusCode)status.Code, status.Message));
        }
    }

    private async Task ObserveCancellation(ServerCallContext context, Func<Task> body)
    {
        try
        {
            await body();
        }
        catch (Exception) when (context.CancellationToken.IsCancellationRequested)
        {
            _cancelledCalls.Enqueue(context.Method);
            throw;
        }
    }

    // The array is never shared or written after wrapping, so no defensive copy is needed.
    private static Payload Zeros(int size) => new() { Type = PayloadType.Compressable, Body = UnsafeByteOperations.UnsafeWrap(new byte[size]) };
}
