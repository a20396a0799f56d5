using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;
using Google.Rpc;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http.Features;

namespace EventLog.Server.Hosting;

/// <summary>
/// Answers gRPC requests that grpc-dotnet would fail as "Exception was thrown by handler" (UNKNOWN, with an
/// error log) with the status C-core gives them: binary metadata that is not base64 and a first message
/// frame whose flag byte is not 0 or 1 are INTERNAL, a declared message above <c>Grpc:MaxReceiveMessageSize</c>
/// is RESOURCE_EXHAUSTED, and a request body over Kestrel's size limit is RESOURCE_EXHAUSTED. They are the
/// caller's fault: logged at Information, never as errors. It also gives the trailers-only errors grpc-dotnet
/// raises itself an ErrorInfo (<see cref="AddErrorInfo"/>).
/// </summary>
internal sealed partial class MalformedRequestMiddleware(RequestDelegate next, IOptions<GrpcHostOptions> options, ILogger<MalformedRequestMiddleware> logger)
{
    private readonly int _maxReceive = options.Value.MaxReceiveMessageSize;

    /// <summary>Not async on the way through: a well-formed call costs no state machine here.</summary>
    public Task InvokeAsync(HttpContext http)
    {
        // A request that is not gRPC at all is left to grpc-dotnet, which answers 415.
        if (!GrpcRequests.Is(http.Request))
        {
            return next(http);
        }
        http.Response.OnStarting(AddErrorInfo, http);
        var method = http.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method;
        if (method is null)
        {
            return next(http);
        }
        foreach (var (name, values) in http.Request.Headers)
        {
            if (name.EndsWith("-bin", StringComparison.OrdinalIgnoreCase) && !values.All(IsBase64))
            {
                return RejectAsync(http, StatusCode.Internal, "MALFORMED_METADATA", $"Binary header '{name}' is not base64.");
            }
        }
        var timeout = http.Request.Headers.GrpcTimeout;
        if (timeout.Count > 1 || (timeout.Count == 1 && !IsTimeout(timeout[0])))
        {
            // grpc-dotnet would ignore it and run the call without a deadline.
            return RejectAsync(http, StatusCode.Internal, "MALFORMED_METADATA", $"Invalid grpc-timeout header value '{timeout}'.");
        }
        if (timeout.Count == 1 && method.Type is (MethodType.Unary or MethodType.ClientStreaming))
        {
            // grpc-dotnet's own deadline timer can end the call while the handler writes its response.
            CallDeadline.Take(http, timeout[0]!);
        }
        else if (timeout.Count == 1 && IsZeroTimeout(timeout[0]))
        {
            // grpc-dotnet reads a timeout shorter than one tick (0S, 50n) as no deadline at all; it has passed.
            http.Request.Headers.GrpcTimeout = "1u";
        }
        if (method.Type is not (MethodType.Unary or MethodType.ServerStreaming))
        {
            Guard(http);
            return next(http);
        }
        // The single request message usually arrived with the headers: look at its frame header without waiting.
        var body = http.Request.BodyReader;
        ReadResult buffered;
        bool read;
        try
        {
            read = body.TryRead(out buffered);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return RejectAsync(http, StatusCode.ResourceExhausted, "REQUEST_TOO_LARGE", ex.Message);
        }
        if (read)
        {
            if (buffered.Buffer.Length >= 5 || buffered.IsCompleted)
            {
                var failure = Inspect(buffered.Buffer);
                var whole = buffered.IsCompleted;
                body.AdvanceTo(buffered.Buffer.Start, buffered.Buffer.Start);
                if (failure is { } f)
                {
                    return RejectAsync(http, f.StatusCode, "MALFORMED_MESSAGE", f.Detail);
                }
                // A body that has all arrived cannot fail a later read: only one still arriving needs the guard.
                if (!whole)
                {
                    Guard(http);
                }
                return next(http);
            }
            body.AdvanceTo(buffered.Buffer.Start, buffered.Buffer.End);
        }
        return CheckThenRunAsync(http, Guard(http));
    }

    /// <summary>Puts <see cref="GuardedBodyReader"/> in place of the request body for the rest of the call.</summary>
    private static GuardedBodyReader Guard(HttpContext http)
    {
        var reader = new GuardedBodyReader(http.Request.BodyReader, http.Features.Get<CallDeadline>());
        http.Features.Set<IRequestBodyPipeFeature>(reader);
        return reader;
    }

    private async Task CheckThenRunAsync(HttpContext http, GuardedBodyReader reader)
    {
        if (await CheckFirstFrameAsync(http, reader).ConfigureAwait(false) is { } failure)
        {
            await RejectAsync(http, failure.StatusCode, "MALFORMED_MESSAGE", failure.Detail).ConfigureAwait(false);
            return;
        }
        await next(http).ConfigureAwait(false);
    }

    /// <summary>Looks at the frame header of the single request message without consuming it.</summary>
    private async Task<Grpc.Core.Status?> CheckFirstFrameAsync(HttpContext http, GuardedBodyReader reader)
    {
        ReadResult result;
        try
        {
            result = await reader.ReadAtLeastAsync(5, http.RequestAborted).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.DeadlineExceeded)
        {
            // Nothing wrong with the request: grpc-dotnet's own read of it ends the call at its deadline.
            return null;
        }
        catch (RpcException ex)
        {
            return ex.Status;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client went away; grpc-dotnet ends the call as it does for any reset.
            return null;
        }
        var failure = Inspect(result.Buffer);
        reader.AdvanceTo(result.Buffer.Start, result.Buffer.Start);
        return failure;
    }

    /// <summary>The failure a message frame header shows (a flag not 0 or 1, a length over the limit), or null.</summary>
    private Grpc.Core.Status? Inspect(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < 5)
        {
            return null;
        }
        // The header nearly always sits in the first segment: read it there, and copy it out only when it is split.
        Span<byte> copy = stackalloc byte[5];
        ReadOnlySpan<byte> header = buffer.FirstSpan.Length >= 5 ? buffer.FirstSpan[..5] : copy;
        if (buffer.FirstSpan.Length < 5)
        {
            buffer.Slice(0, 5).CopyTo(copy);
        }
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (header[0] > 1)
        {
            return new Grpc.Core.Status(StatusCode.Internal, $"The message frame's compressed flag is {header[0]}; only 0 and 1 are defined.");
        }
        if (length > (uint)_maxReceive)
        {
            return new Grpc.Core.Status(StatusCode.ResourceExhausted, $"The request message declares {length} bytes, more than Grpc:MaxReceiveMessageSize ({_maxReceive}).");
        }
        return null;
    }

    /// <summary>A <c>grpc-timeout</c> as the protocol defines it: 1 to 8 digits and a unit (H, M, S, m, u, n).</summary>
    private static bool IsTimeout([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? value) =>
        value is { Length: >= 2 and <= 9 } && value[..^1].All(char.IsAsciiDigit) && value[^1] is 'H' or 'M' or 'S' or 'm' or 'u' or 'n';

    /// <summary>
    /// Gives a trailers-only error that grpc-dotnet raised itself (unknown method, a message over the size limit,
    /// an unsupported encoding, a deadline that passed before any response) the ErrorInfo every EventLog error
    /// carries, its reason the status name. Errors raised by EventLog's own code already have one.
    /// </summary>
    private static Task AddErrorInfo(object state)
    {
        var headers = ((HttpContext)state).Response.Headers;
        if (headers.TryGetValue("grpc-status", out var value) && value.ToString() is { } text && text != "0"
            && !headers.ContainsKey("grpc-status-details-bin") && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var code))
        {
            var message = Uri.UnescapeDataString(headers["grpc-message"].ToString());
            SetDetails(headers, Infrastructure.Errors.Details((StatusCode)code, Infrastructure.Errors.Info(Observability.StatusCodeNames.Get((StatusCode)code)), message));
        }
        return Task.CompletedTask;
    }

    /// <summary>A well-formed <c>grpc-timeout</c> that is under 100 ns.</summary>
    private static bool IsZeroTimeout(string? value) => IsTimeout(value) && CallDeadline.Parse(value) == TimeSpan.Zero;

    private static bool IsBase64(string? value)
    {
        if (value is null)
        {
            return true;
        }
        var padded = (value.Length % 4) switch { 2 => value + "==", 3 => value + "=", _ => value };
        Span<byte> bytes = padded.Length <= 4096 ? stackalloc byte[padded.Length] : new byte[padded.Length];
        return Convert.TryFromBase64String(padded, bytes, out _);
    }

    /// <summary>A trailers-only gRPC response: the status in the headers of an empty body.</summary>
    private Task RejectAsync(HttpContext http, StatusCode code, string reason, string detail)
    {
        LogRejected(logger, http.Request.Path.Value ?? "", code, detail);
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(detail);
        SetDetails(response.Headers, Infrastructure.Errors.Details(code, Infrastructure.Errors.Info(reason), detail));
        return response.CompleteAsync();
    }

    /// <summary>Writes <c>grpc-status-details-bin</c>: binary metadata is unpadded base64.</summary>
    private static void SetDetails(IHeaderDictionary headers, Google.Rpc.Status details) =>
        headers["grpc-status-details-bin"] = Convert.ToBase64String(details.ToByteArray()).TrimEnd('=');

    [LoggerMessage(EventId = 710, Level = LogLevel.Information, Message = "Rejected a malformed gRPC request to {Path} with {StatusCode}: {Detail}")]
    private static partial void LogRejected(ILogger logger, string path, StatusCode statusCode, string detail);

    /// <summary>
    /// The request body, with Kestrel's "request body too large" reported as RESOURCE_EXHAUSTED, a client's reset
    /// as CANCELLED, and a read that the call's deadline ended as DEADLINE_EXCEEDED: grpc-dotnet reads a unary request
    /// with no token, so without this a request that never ends would hold its call past the deadline EventLog keeps.
    /// </summary>
    private sealed class GuardedBodyReader(PipeReader inner, CallDeadline? deadline) : PipeReader, IRequestBodyPipeFeature
    {
        PipeReader IRequestBodyPipeFeature.Reader => this;

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.ReadAsync(cancellationToken.CanBeCanceled || deadline is null ? cancellationToken : deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline?.Passed == true)
            {
                throw CallDeadline.Exceeded();
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw TooLarge(ex);
            }
            catch (IOException ex)
            {
                // The client reset the stream while its request was being read: its call is over, not the server's fault.
                // grpc-dotnet logs an error for the IOException unless the call's token has already fired.
                throw Infrastructure.Errors.Create(StatusCode.Cancelled, "CANCELLED", $"The client ended the request: {ex.Message}");
            }
        }

        public override bool TryRead(out ReadResult result)
        {
            try
            {
                return inner.TryRead(out result);
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw TooLarge(ex);
            }
        }

        private static RpcException TooLarge(BadHttpRequestException ex) =>
            Infrastructure.Errors.Create(StatusCode.ResourceExhausted, "REQUEST_TOO_LARGE", ex.Message);
    }
}
