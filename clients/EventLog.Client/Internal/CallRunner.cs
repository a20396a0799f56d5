using Grpc.Core;

namespace EventLog.Client.Internal;

/// <summary>Whether a unary call may be sent again after a failure whose outcome is unknown.</summary>
internal enum Retry
{
    /// <summary>Never resent: a retry could apply it twice.</summary>
    Never,

    /// <summary>Resent after transport failures: reads, and writes the server deduplicates.</summary>
    Idempotent,

    /// <summary>
    /// Like <see cref="Idempotent"/>, but an UNAVAILABLE the server itself raised (it carries an ErrorInfo,
    /// e.g. "no agent connected") is final: it says something about the request, not the connection.
    /// </summary>
    IdempotentUnlessServerUnavailable,
}

/// <summary>
/// Runs unary and client-streaming calls with the client's deadline and bounded retry with backoff,
/// and turns gRPC failures into <see cref="EventLogException"/> at the SDK boundary.
/// </summary>
internal sealed class CallRunner(EventLogClientOptions options)
{
    public EventLogClientOptions Options { get; } = options;

    /// <summary>Call options with a deadline <paramref name="timeout"/> (or the default one) from now.</summary>
    public CallOptions Unary(CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        new(deadline: DateTime.UtcNow + (timeout ?? Options.DefaultDeadline), cancellationToken: cancellationToken);

    /// <summary>Call options of a stream: no deadline.</summary>
    public static CallOptions Stream(CancellationToken cancellationToken) => new(cancellationToken: cancellationToken);

    /// <summary>
    /// Runs a unary call, retrying as <paramref name="retry"/> allows. <paramref name="recoverAfterRetry"/>
    /// is asked about a failure of a resent call (whose first attempt may have been applied) and may turn it
    /// into a result, e.g. NOT_FOUND on a resent delete.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> call, Retry retry, CancellationToken cancellationToken, TimeSpan? timeout = null, Func<EventLogException, Task<T?>>? recoverAfterRetry = null)
        where T : class
    {
        return await RunAttemptsAsync(async callOptions =>
        {
            using var unary = call(callOptions);
            return await unary.ResponseAsync.ConfigureAwait(false);
        }, retry, cancellationToken, timeout, recoverAfterRetry).ConfigureAwait(false);
    }

    /// <summary>Runs one attempt per invocation of <paramref name="attempt"/>, retrying as <paramref name="retry"/> allows.</summary>
    public async Task<T> RunAttemptsAsync<T>(Func<CallOptions, Task<T>> attempt, Retry retry, CancellationToken cancellationToken, TimeSpan? timeout = null, Func<EventLogException, Task<T?>>? recoverAfterRetry = null)
        where T : class
    {
        for (var number = 1; ; number++)
        {
            EventLogException failure;
            try
            {
                return await attempt(Unary(cancellationToken, timeout)).ConfigureAwait(false);
            }
            catch (RpcException ex)
            {
                cancellationToken.ThrowIfCancellationRequested();
                failure = EventLogException.FromRpcException(ex);
            }
            if (number > 1 && recoverAfterRetry is not null && await recoverAfterRetry(failure).ConfigureAwait(false) is { } recovered)
            {
                return recovered;
            }
            if (number >= Options.Retry.MaxAttempts || !(IsRetryable(failure, retry) || IsRateLimited(failure, retry)))
            {
                throw failure;
            }
            await Task.Delay(Options.Retry.RetryPause(failure, number), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether a failure says nothing about the request itself, so sending it again may succeed.</summary>
    public static bool IsRetryable(EventLogException failure, Retry retry) => retry switch
    {
        Retry.Never => false,
        Retry.IdempotentUnlessServerUnavailable when failure.StatusCode == StatusCode.Unavailable && failure.Reason is not (null or ShuttingDown) => false,
        _ => IsTransient(failure),
    };

    /// <summary>
    /// The server refused the call for the caller's write rate and said when to come back (RetryInfo): nothing was
    /// applied, so any call the SDK may resend can be sent again after that delay.
    /// </summary>
    public static bool IsRateLimited(EventLogException failure, Retry retry) =>
        retry != Retry.Never && failure.StatusCode == StatusCode.ResourceExhausted && failure.RetryDelay is not null;

    /// <summary>The ErrorInfo reason of the UNAVAILABLE a stopping server ends long calls with.</summary>
    private const string ShuttingDown = "SHUTTING_DOWN";

    /// <summary>
    /// A transport or server-restart failure: UNAVAILABLE, ABORTED, or INTERNAL/UNKNOWN without an ErrorInfo.
    /// Every status the server sends carries an ErrorInfo; a bare one was made by the client or the connection
    /// (a reset stream, a torn connection, a proxy), so it says nothing about the request.
    /// </summary>
    public static bool IsTransient(EventLogException failure) => failure.StatusCode switch
    {
        StatusCode.Unavailable or StatusCode.Aborted => true,
        StatusCode.Internal or StatusCode.Unknown => failure.Reason is null,
        _ => false,
    };
}
