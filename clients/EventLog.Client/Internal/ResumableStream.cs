using System.Runtime.CompilerServices;
using Grpc.Core;

namespace EventLog.Client.Internal;

/// <summary>
/// Turns a server-streaming RPC into an <see cref="IAsyncEnumerable{T}"/> that survives dropped
/// connections and server restarts: on a transient failure it waits (backoff) and reopens the call from
/// the last position the consumer received, and the cursor drops anything at or below that position, so
/// the consumer sees no gap and no duplicate.
/// </summary>
internal static class ResumableStream
{
    public static async IAsyncEnumerable<TResponse> RunAsync<TResponse>(
        StreamCursor<TResponse> cursor,
        EventLogClientOptions options,
        EventLogStreamOptions? streamOptions,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var idleTimeout = options.Retry.StreamIdleTimeout;
            using var call = cursor.Open(CallRunner.Stream(idle.Token));
            EventLogException? failure = null;
            while (true)
            {
                if (idleTimeout is { } timeout && cursor.ResumeOnEnd)
                {
                    idle.CancelAfter(timeout);
                }
                bool hasNext;
                try
                {
                    hasNext = await call.ResponseStream.MoveNext(idle.Token).ConfigureAwait(false);
                }
                catch (RpcException ex)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    failure = idle.IsCancellationRequested
                        ? new EventLogException(StatusCode.Unavailable, "The stream received nothing, not even a heartbeat, for too long.", innerException: ex)
                        : EventLogException.FromRpcException(ex);
                    break;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = new EventLogException(StatusCode.Unavailable, "The stream received nothing, not even a heartbeat, for too long.");
                    break;
                }
                // The consumer may take its time with a message; that is not the stream being idle.
                idle.CancelAfter(Timeout.InfiniteTimeSpan);
                if (!hasNext)
                {
                    break;
                }
                // Any message, heartbeats included, proves the stream is alive.
                failures = 0;
                var response = call.ResponseStream.Current;
                if (cursor.Accept(response))
                {
                    yield return response;
                }
                if (cursor.Finished)
                {
                    yield break;
                }
            }
            if (failure is null)
            {
                if (cursor.Finished || !cursor.ResumeOnEnd)
                {
                    yield break;
                }
                // A watch only ends when the server goes away (a graceful shutdown); pick it up again.
                failure = new EventLogException(StatusCode.Unavailable, "The server ended the stream.");
            }
            // CANCELLED we did not ask for is a server shutting down its calls.
            else if (!CallRunner.IsTransient(failure) && failure.StatusCode != StatusCode.Cancelled)
            {
                throw failure;
            }
            failures++;
            if (options.Retry.MaxStreamReconnectAttempts is { } max && failures > max)
            {
                throw failure;
            }
            var pause = options.Retry.Backoff(failures);
            streamOptions?.OnReconnecting?.Invoke(failure, failures, pause);
            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
        }
    }
}
