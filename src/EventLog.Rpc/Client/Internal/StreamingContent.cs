using System.Net;

namespace EventLog.Rpc.Client.Internal;

/// <summary>
/// The body of a call with streamed requests. The handler calls <see cref="SerializeToStreamAsync(Stream, TransportContext?, CancellationToken)"/>
/// once the request headers are sent; it hands out the HTTP/2 request stream to the writer and stays open until
/// the request stream is completed, so responses can arrive while requests are still being written (full duplex).
/// </summary>
internal sealed class StreamingContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The request stream, once the handler started sending the body.</summary>
    public Task<Stream> StreamTask => _stream.Task;

    /// <summary>Ends the body: the handler sends END_STREAM after what was written.</summary>
    public void Complete() => _completed.TrySetResult();

    /// <summary>Called when the call finished: ends the body with END_STREAM when graceful, resets the stream otherwise.</summary>
    public void Finish(bool graceful)
    {
        _stream.TrySetCanceled();
        if (graceful)
        {
            _completed.TrySetResult();
        }
        else
        {
            _completed.TrySetCanceled();
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        // SocketsHttpHandler buffers the HEADERS frame until body data is flushed; flush now so the server sees the
        // call even when the client writes nothing yet (a duplex call that waits for the server to speak first).
        try
        {
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            _stream.TrySetResult(stream);
            await _completed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The handler aborted the body: the server reset the stream or the call was cancelled. The handler has
            // already failed the response side; returning quietly lets it report that reason (e.g. the RST_STREAM
            // error code) instead of this cancellation.
            _stream.TrySetCanceled(cancellationToken);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
