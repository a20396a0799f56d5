using EventLog.Rpc.Internal;
using Grpc.Core;

namespace EventLog.Rpc.Client.Internal;

internal sealed partial class GrpcCall<TRequest, TResponse>
{
    private static readonly Status NoResponseMessage = new(StatusCode.Internal, "Failed to deserialize response message. The server returned OK without a response message.");
    private static readonly Status TooManyResponseMessages = new(StatusCode.Internal, "The server returned more than one response message for a call with a single response.");

    /// <summary>The response of a unary or client-streaming call: exactly one message, then an OK status.</summary>
    private async Task<TResponse> ReadSingleResponseAsync()
    {
        if (!await _responseReady.ConfigureAwait(false))
        {
            throw CreateFinalException();
        }
        var (hasMessage, message) = await ReadNextAsync(_cts.Token).ConfigureAwait(false);
        if (!hasMessage)
        {
            FinishFromTrailers(noMessage: true);
            throw CreateFinalException();
        }
        var (hasMore, _) = await ReadNextAsync(_cts.Token).ConfigureAwait(false);
        if (hasMore)
        {
            Finish(TooManyResponseMessages, Metadata.Empty);
            throw CreateFinalException();
        }
        if (FinishFromTrailers(noMessage: false).StatusCode != StatusCode.OK)
        {
            throw CreateFinalException();
        }
        return message;
    }

    /// <summary>The next message of a streaming response; (false, default) once the server ended it with OK.</summary>
    public async Task<(bool HasMessage, TResponse Message)> ReadStreamMessageAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            CancelByCaller();
        }
        // Cancelling a read cancels the call, as in grpc-dotnet: the stream cannot resume mid-message.
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((GrpcCall<TRequest, TResponse>)state!).CancelByCaller(), this)
            : default;
        if (!await _responseReady.ConfigureAwait(false) || IsFinished)
        {
            return EndOfStream();
        }
        var next = await ReadNextAsync(_cts.Token).ConfigureAwait(false);
        if (next.HasMessage)
        {
            return next;
        }
        FinishFromTrailers(noMessage: false);
        return EndOfStream();
    }

    /// <summary>The end of a finished response stream: nothing more after OK, the status as an exception otherwise.</summary>
    private (bool HasMessage, TResponse Message) EndOfStream() =>
        GetStatus().StatusCode == StatusCode.OK ? (false, default!) : throw CreateFinalException();

    private async ValueTask<(bool HasMessage, TResponse Message)> ReadNextAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (hasMessage, message, _) = await MessageFraming.ReadAsync(_reader!, Method.ResponseMarshaller.ContextualDeserializer, Channel.MaxReceiveMessageSize, _responseEncoding, cancellationToken).ConfigureAwait(false);
            return (hasMessage, message);
        }
        catch (Exception ex)
        {
            // A local status (deadline, cancellation, disposal) set first wins over the I/O error it caused.
            Finish(StatusFromException(ex), Metadata.Empty);
            throw CreateFinalException();
        }
    }

    /// <summary>Finishes the call with the status in the trailers, read after the body ended; returns the final status.</summary>
    private Status FinishFromTrailers(bool noMessage)
    {
        var response = _response!;
        var status = StatusMapping.ReadStatus(response.TrailingHeaders);
        if (noMessage && status.StatusCode == StatusCode.OK)
        {
            status = NoResponseMessage;
        }
        if (Finish(status, StatusMapping.ToMetadata(response.TrailingHeaders), responseComplete: true))
        {
            // Returns the pipe's buffers; only this reading path touches the reader.
            _reader!.Complete();
        }
        return GetStatus();
    }
}
