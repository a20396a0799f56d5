
namespace EventLog.Server.Infrastructure;

/// <summary>Writes of server streams that send rows read together.</summary>
public static class StreamWrites
{
    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    /// <summary>
    /// Writes one message of a batch. While <paramref name="more"/> is true the message may wait in the
    /// server's buffer for the next ones, so a batch read from storage leaves in one flush instead of one
    /// per row; the last message of the batch (<paramref name="more"/> false) sends everything.
    /// </summary>
    public static Task WriteInBatchAsync<T>(this IServerStreamWriter<T> stream, T message, bool more, CancellationToken cancellationToken)
    {
        stream.WriteOptions = more ? Buffered : null;
        return stream.WriteAsync(message, cancellationToken);
    }

    /// <summary>
    /// Sends the response headers of a watch once its request is accepted, so the watcher knows the stream is open
    /// before the first event or heartbeat (a browser's fetch resolves on them). Errors found before this still end
    /// the call without headers, which REST callers get as the matching HTTP status.
    /// </summary>
    public static Task AcceptWatchAsync(this ServerCallContext context) => context.WriteResponseHeadersAsync([]);
}
