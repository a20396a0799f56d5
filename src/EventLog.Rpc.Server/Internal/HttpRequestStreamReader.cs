using EventLog.Rpc.Internal;
using Grpc.Core;

namespace EventLog.Rpc.Server.Internal;

/// <summary>Reads request messages from the HTTP/2 request body.</summary>
internal sealed class HttpRequestStreamReader<TRequest>(HttpServerCallContext context, Func<DeserializationContext, TRequest> deserializer) : IAsyncStreamReader<TRequest>
{
    private TRequest? _current;
    private bool _readInProgress;
    private bool _ended;

    public TRequest Current => _current ?? throw new InvalidOperationException("No current message: call MoveNext first.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        if (_readInProgress)
        {
            throw new InvalidOperationException("Only one read may be in progress at a time.");
        }
        if (_ended)
        {
            // The last read already saw the end of the request body.
            _current = default;
            return false;
        }
        _readInProgress = true;
        try
        {
            // The call's token covers deadline, client reset and shutdown; link only a different caller token.
            var callToken = context.CancellationToken;
            using var linked = cancellationToken.CanBeCanceled && cancellationToken != callToken
                ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, callToken)
                : null;
            var (hasMessage, message, endOfStream) = await ReadMessageAsync(context, deserializer, linked?.Token ?? callToken).ConfigureAwait(false);
            _current = hasMessage ? message : default;
            _ended = endOfStream;
            return hasMessage;
        }
        finally
        {
            _readInProgress = false;
        }
    }

    /// <summary>
    /// Reads exactly one message, as unary and server-streaming calls require: the message and then the end of
    /// the body (usually seen with the message itself, so one read, and then without an async state machine).
    /// </summary>
    public static ValueTask<TRequest> ReadSingleAsync(HttpServerCallContext context, Func<DeserializationContext, TRequest> deserializer)
    {
        // No token: a deadline or shutdown cancels this read with CancelPendingRead, a client reset fails it, and
        // the handler's token is not made for calls that never ask for it.
        var first = ReadMessageAsync(context, deserializer, CancellationToken.None);
        if (!first.IsCompletedSuccessfully)
        {
            return FinishSingleAsync(first, context, deserializer);
        }
        // A completed read is consumed once, here; the checks below get its result, not the read again.
        var read = first.Result;
        return read is (true, var message, true) ? new(message) : FinishSingleAsync(new(read), context, deserializer);
    }

    private static async ValueTask<TRequest> FinishSingleAsync(
        ValueTask<(bool HasMessage, TRequest Message, bool EndOfStream)> first, HttpServerCallContext context, Func<DeserializationContext, TRequest> deserializer)
    {
        var (hasMessage, message, endOfStream) = await first.ConfigureAwait(false);
        if (!hasMessage)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Request stream ended without a message."));
        }
        if (!endOfStream && (await ReadMessageAsync(context, deserializer, CancellationToken.None).ConfigureAwait(false)).HasMessage)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Additional data after the request message."));
        }
        return message;
    }

    private static ValueTask<(bool HasMessage, TRequest Message, bool EndOfStream)> ReadMessageAsync(
        HttpServerCallContext context, Func<DeserializationContext, TRequest> deserializer, CancellationToken cancellationToken)
    {
        ValueTask<(bool HasMessage, TRequest Message, bool EndOfStream)> read;
        try
        {
            read = MessageFraming.ReadAsync(
                context.HttpContext.Request.BodyReader, deserializer, context.Options.MaxReceiveMessageSize, context.RequestEncoding, cancellationToken);
        }
        catch (Exception ex) when (AsReadFailure(ex) is { } failure)
        {
            throw failure;
        }
        return read.IsCompletedSuccessfully ? read : AwaitReadAsync(read);
    }

    private static async ValueTask<(bool HasMessage, TRequest Message, bool EndOfStream)> AwaitReadAsync(ValueTask<(bool HasMessage, TRequest Message, bool EndOfStream)> read)
    {
        try
        {
            return await read.ConfigureAwait(false);
        }
        catch (Exception ex) when (AsReadFailure(ex) is { } failure)
        {
            throw failure;
        }
    }

    private static RpcException? AsReadFailure(Exception exception) => exception switch
    {
        // Kestrel's body limit stays on for single-message requests; more bytes than it allows are never one valid message.
        Microsoft.AspNetCore.Http.BadHttpRequestException { StatusCode: Microsoft.AspNetCore.Http.StatusCodes.Status413PayloadTooLarge } =>
            new RpcException(new Status(StatusCode.ResourceExhausted, "Request body exceeds the server's limit for a single-message request.", exception)),
        // The client reset the stream or dropped the connection; Kestrel's abort callback may not have run yet.
        IOException => new RpcException(new Status(StatusCode.Cancelled, "The client reset the request stream.", exception)),
        _ => null,
    };
}
