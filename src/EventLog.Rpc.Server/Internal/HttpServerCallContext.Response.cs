using EventLog.Rpc.Internal;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace EventLog.Rpc.Server.Internal;

internal sealed partial class HttpServerCallContext
{
    // One writer at a time: handler writes, header writes and the final status never interleave.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private bool _headersSent;
    private bool _completed;

    protected override async Task WriteResponseHeadersAsyncCore(Metadata responseHeaders)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        await _writeLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_headersSent || _completed)
            {
                throw new InvalidOperationException("Response headers can only be sent once per call.");
            }
            foreach (var entry in responseHeaders)
            {
                if (!GrpcProtocol.IsReservedHeader(entry.Key))
                {
                    _httpContext.Response.Headers.Append(entry.Key, MetadataCodec.ToHeaderValue(entry));
                }
            }
            PrepareHeaders();
            await _httpContext.Response.BodyWriter.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes one response message (headers first if not yet sent).</summary>
    public async Task WriteMessageAsync<T>(T message, Action<T, SerializationContext> serializer, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                throw new RpcException(DeadlineReached ? ServerCallHandler.DeadlineStatus : new Status(StatusCode.Cancelled, "The call has already ended."));
            }
            PrepareHeaders();
            var noCompress = (_writeOptions?.Flags & WriteFlags.NoCompress) == WriteFlags.NoCompress;
            var token = cancellationToken.CanBeCanceled ? cancellationToken : _callCancellation.Token;
            await MessageFraming.WriteAsync(_httpContext.Response.BodyWriter, message, serializer, Options.MaxSendMessageSize, noCompress ? null : ResponseEncoding, token).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Ends the call with a status: trailers, or a trailers-only response when nothing was sent yet.</summary>
    public async Task CompleteAsync(Status status)
    {
        await _writeLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                return;
            }
            _completed = true;
            if (ClientAborted)
            {
                return;
            }
            var response = _httpContext.Response;
            if (!_headersSent && !response.HasStarted)
            {
                // Trailers-only: the status goes in the single HEADERS frame, which ends the stream.
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = GrpcProtocol.ContentType;
                WriteStatus(status, (name, value) => response.Headers.Append(name, value));
                await response.CompleteAsync().ConfigureAwait(false);
                return;
            }
            WriteStatus(status, (name, value) => response.AppendTrailer(name, value));
            await response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception) when (ClientAborted || _httpContext.RequestAborted.IsCancellationRequested)
        {
            // The stream is gone; there is nobody to tell.
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void PrepareHeaders()
    {
        if (_headersSent)
        {
            return;
        }
        _headersSent = true;
        var response = _httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcProtocol.ContentType;
        if (ResponseEncoding is not null)
        {
            response.Headers[GrpcProtocol.EncodingHeader] = ResponseEncoding;
        }
        response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;
    }

    private void WriteStatus(Status status, Action<string, string> append)
    {
        append(GrpcProtocol.StatusTrailer, ((int)status.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(status.Detail))
        {
            append(GrpcProtocol.MessageTrailer, PercentEncoding.Encode(status.Detail));
        }
        foreach (var entry in _responseTrailers)
        {
            if (!GrpcProtocol.IsReservedHeader(entry.Key))
            {
                append(entry.Key, MetadataCodec.ToHeaderValue(entry));
            }
        }
    }
}
