using System.IO.Pipelines;
using EventLog.Rpc.Internal;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace EventLog.Rpc.Server.Internal;

internal sealed partial class HttpServerCallContext
{
    // One writer at a time: handler writes, header writes and the final status never interleave.
    private WriteGate _writeGate;
    private bool _headersSent;
    private bool _completed;
    private volatile bool _slowConsumerReset;
    private const int EnhanceYourCalm = 0xb;
    private const int MaxTrailerValueLength = 7 * 1024;
    private const int MaxBufferedBytes = 64 * 1024;

    protected override async Task WriteResponseHeadersAsyncCore(Metadata responseHeaders)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        await _writeGate.EnterAsync(CancellationToken.None).ConfigureAwait(false);
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
            _writeGate.Exit();
        }
    }

    /// <summary>
    /// Writes one response message (headers first if not yet sent). A call with a single response passes
    /// <paramref name="flush"/> false: the message then leaves with the trailers, in one write of Kestrel's
    /// frame writer instead of two. Such a write, with nobody else writing, completes without an await.
    /// </summary>
    public Task WriteMessageAsync<T>(T message, Action<T, SerializationContext> serializer, CancellationToken cancellationToken, bool flush = true)
    {
        if (flush || !_writeGate.TryEnter())
        {
            return WriteMessageSlowAsync(message, serializer, cancellationToken, flush);
        }
        try
        {
            WriteFrame(message, serializer);
            return Task.CompletedTask;
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
        finally
        {
            _writeGate.Exit();
        }
    }

    // Waits for the gate when someone else writes, and flushes when asked to.
    private async Task WriteMessageSlowAsync<T>(T message, Action<T, SerializationContext> serializer, CancellationToken cancellationToken, bool flush)
    {
        await _writeGate.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var flags = WriteFrame(message, serializer);
            var writer = _httpContext.Response.BodyWriter;
            // BufferHint: more messages follow at once, so this one may wait for them (bounded, so memory is too).
            if (!flush || ((flags & WriteFlags.BufferHint) == WriteFlags.BufferHint && writer.CanGetUnflushedBytes && writer.UnflushedBytes < MaxBufferedBytes))
            {
                return;
            }
            var token = cancellationToken.CanBeCanceled ? cancellationToken : CancellationToken;
            var flushing = writer.FlushAsync(token);
            FlushResult flushed;
            // Most flushes complete at once; the slow-consumer timer is only armed for one that has to wait.
            if (flushing.IsCompleted)
            {
                flushed = flushing.Result;
            }
            else
            {
                using var writeTimeout = StartWriteTimeout();
                try
                {
                    flushed = await flushing.ConfigureAwait(false);
                }
                catch (Exception) when (_slowConsumerReset)
                {
                    throw SlowConsumerException();
                }
            }
            if (flushed.IsCanceled)
            {
                throw new OperationCanceledException(token);
            }
            if (_slowConsumerReset)
            {
                throw SlowConsumerException();
            }
        }
        finally
        {
            _writeGate.Exit();
        }
    }

    /// <summary>Serializes one message into the response body, unflushed; the caller holds the write gate.</summary>
    private WriteFlags WriteFrame<T>(T message, Action<T, SerializationContext> serializer)
    {
        if (_completed)
        {
            throw new RpcException(DeadlineReached ? ServerCallHandler.DeadlineStatus : new Status(StatusCode.Cancelled, "The call has already ended."));
        }
        if (_slowConsumerReset)
        {
            throw SlowConsumerException();
        }
        PrepareHeaders();
        var flags = _writeOptions?.Flags ?? default;
        var noCompress = (flags & WriteFlags.NoCompress) == WriteFlags.NoCompress;
        MessageFraming.WriteFrame(_httpContext.Response.BodyWriter, message, serializer, Options.MaxSendMessageSize, noCompress ? null : ResponseEncoding);
        return flags;
    }

    /// <summary>
    /// Ends the call with a status: trailers, or a trailers-only response when nothing was sent yet. Never throws
    /// synchronously (the deadline timer calls it); with nobody else writing and Kestrel completing the response at
    /// once, it completes without an await.
    /// </summary>
    public Task CompleteAsync(Status status) => _writeGate.TryEnter() ? CompleteEntered(status) : CompleteWhenEnteredAsync(status);

    private async Task CompleteWhenEnteredAsync(Status status)
    {
        await _writeGate.EnterAsync(CancellationToken.None).ConfigureAwait(false);
        await CompleteEntered(status).ConfigureAwait(false);
    }

    /// <summary>Writes the status while holding the write gate, and lets go of the gate once the response is complete.</summary>
    private Task CompleteEntered(Status status)
    {
        Task completing;
        bool trailersOnly;
        try
        {
            if (_completed || ClientAborted)
            {
                _completed = true;
                _writeGate.Exit();
                return Task.CompletedTask;
            }
            _completed = true;
            var response = _httpContext.Response;
            // Trailers-only: the status goes in the single HEADERS frame, which ends the stream.
            trailersOnly = !_headersSent && !response.HasStarted;
            if (trailersOnly)
            {
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = GrpcProtocol.ContentType;
            }
            WriteStatus(status, response, asTrailers: !trailersOnly);
            completing = response.CompleteAsync();
        }
        catch (Exception ex)
        {
            _writeGate.Exit();
            return IsGone() ? Task.CompletedTask : Task.FromException(ex);
        }
        if (completing.IsCompletedSuccessfully)
        {
            _writeGate.Exit();
            return Task.CompletedTask;
        }
        return AwaitCompletionAsync(completing, trailersOnly);
    }

    private async Task AwaitCompletionAsync(Task completing, bool trailersOnly)
    {
        try
        {
            // The trailers queue behind unread data, so a client that stopped reading would hold the call forever.
            if (!trailersOnly && Options.StreamWriteTimeout is { } timeout)
            {
                try
                {
                    await completing.WaitAsync(timeout).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    ResetSlowConsumer();
                    _ = completing.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                }
            }
            else
            {
                await completing.ConfigureAwait(false);
            }
        }
        catch (Exception) when (IsGone())
        {
            // The stream is gone; there is nobody to tell.
        }
        finally
        {
            _writeGate.Exit();
        }
    }

    private bool IsGone() => ClientAborted || _httpContext.RequestAborted.IsCancellationRequested;

    /// <summary>
    /// Resets the stream when the write outlasts <see cref="GrpcServerOptions.StreamWriteTimeout"/>. The reset must come
    /// first: cancelling Kestrel's flush instead would abort the stream with INTERNAL_ERROR, which tells the client nothing.
    /// </summary>
    private CancellationTokenSource? StartWriteTimeout()
    {
        if (Options.StreamWriteTimeout is not { } timeout)
        {
            return null;
        }
        var source = new CancellationTokenSource(timeout);
        source.Token.UnsafeRegister(static state => ((HttpServerCallContext)state!).ResetSlowConsumer(), this);
        return source;
    }

    private void ResetSlowConsumer()
    {
        _slowConsumerReset = true;
        // RST_STREAM ENHANCE_YOUR_CALM (0xb) drops what Kestrel buffered for the stream; gRPC clients map it
        // to RESOURCE_EXHAUSTED. Trailers cannot carry the status: they would wait behind the unread data.
        try
        {
            var reset = _httpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResetFeature>();
            if (reset is not null)
            {
                reset.Reset(EnhanceYourCalm);
            }
            else
            {
                _httpContext.Abort();
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
        {
            // The call ended meanwhile.
        }
    }

    private RpcException SlowConsumerException() => new(new Status(
        StatusCode.ResourceExhausted,
        $"Consumer too slow: the client did not read the response stream for {Options.StreamWriteTimeout?.TotalSeconds:0.###} seconds; the stream was cut off."));

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
            response.Headers.GrpcEncoding = ResponseEncoding;
        }
        // No grpc-accept-encoding here: the protocol makes it optional on a response, and a client learns which
        // encodings this server decodes from the UNIMPLEMENTED answer to one it does not (WriteTrailersOnly). On every
        // response it cost Kestrel an unknown header to store, encode and clear (about 3% of a small call's CPU).
    }

    private void WriteStatus(Status status, HttpResponse response, bool asTrailers)
    {
        // Trailers-only responses carry the status in the headers; all others in the trailers.
        var target = asTrailers
            ? (_httpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseTrailersFeature>()?.Trailers ?? throw new InvalidOperationException("The response does not support trailers."))
            : response.Headers;
        // The status keys are set (one value each); metadata trailers are appended, a key may repeat.
        StatusHeaders.Write(target, status, withDetails: _responseTrailers?.Get(GrpcProtocol.StatusDetailsTrailer) is null);
        var trailers = _responseTrailers ?? Metadata.Empty;
        for (var i = 0; i < trailers.Count; i++)
        {
            var entry = trailers[i];
            if (!GrpcProtocol.IsReservedHeader(entry.Key))
            {
                var value = MetadataCodec.ToHeaderValue(entry);
                // Clients cap a header list at 8-16 KiB (grpc-java 8 KiB, .NET 64 KiB per connection) and fail the
                // whole connection beyond it; a status that echoes huge input must still reach the caller.
                if (value.Length <= MaxTrailerValueLength)
                {
                    target.Append(entry.Key, value);
                }
            }
        }
    }
}
