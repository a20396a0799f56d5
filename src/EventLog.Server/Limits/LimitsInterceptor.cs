using EventLog.Server.Observability;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core.Interceptors;

namespace EventLog.Server.Limits;

/// <summary>
/// Applies the per-principal limits after authentication: concurrent streaming calls, and the write rate
/// (RESOURCE_EXHAUSTED with a google.rpc.RetryInfo saying when to retry). Messages of a client-streaming
/// write are paced rather than rejected, so an upload slows down instead of failing half-way.
/// </summary>
public sealed class LimitsInterceptor(StreamLimiter streams, WriteRateLimiter writes, EventLogMetrics metrics) : Interceptor
{
    /// <inheritdoc/>
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ChargeWrite(context);
        return continuation(request, context);
    }

    /// <inheritdoc/>
    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var key = EnterStream(context);
        try
        {
            var paced = ChargeWrite(context) ? new PacedStreamReader<TRequest>(requestStream, writes, key, context.CancellationToken) : requestStream;
            return await continuation(paced, context).ConfigureAwait(false);
        }
        finally
        {
            streams.Exit(key);
        }
    }

    /// <inheritdoc/>
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var key = EnterStream(context);
        try
        {
            ChargeWrite(context);
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        finally
        {
            streams.Exit(key);
        }
    }

    /// <inheritdoc/>
    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var key = EnterStream(context);
        try
        {
            var paced = ChargeWrite(context) ? new PacedStreamReader<TRequest>(requestStream, writes, key, context.CancellationToken) : requestStream;
            await continuation(paced, responseStream, context).ConfigureAwait(false);
        }
        finally
        {
            streams.Exit(key);
        }
    }

    /// <summary>Takes a write from the budget when the method is a write; true when it was one.</summary>
    private bool ChargeWrite(ServerCallContext context)
    {
        if (!writes.Enabled || !WriteMethods.IsWrite(context.Method) || Principal(context) is not { } principal)
        {
            return false;
        }
        if (!writes.TryAcquire(principal.Name, out var retryAfter))
        {
            metrics.LimitRejected(context.Method, "write_rate");
            throw RateLimited(principal.Name, retryAfter);
        }
        return true;
    }

    /// <summary>Takes a stream slot; calls without a principal (health, reflection) share one anonymous budget.</summary>
    private string EnterStream(ServerCallContext context)
    {
        var key = Principal(context)?.Name ?? AnonymousKey;
        if (!streams.TryEnter(key))
        {
            metrics.LimitRejected(context.Method, "concurrent_streams");
            throw Errors.Create(
                StatusCode.ResourceExhausted,
                new ErrorInfo { Reason = "TOO_MANY_STREAMS", Domain = Errors.ErrorDomain, Metadata = { ["limit"] = streams.Max.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
                $"Token '{key}' already has {streams.Max} streaming calls open (Limits:MaxConcurrentStreamsPerPrincipal); close one first.");
        }
        return key;
    }

    private const string AnonymousKey = "(anonymous)";

    private static EventLogPrincipal? Principal(ServerCallContext context) =>
        context.UserState.TryGetValue(CallContextAuthExtensions.PrincipalKey, out var value) ? value as EventLogPrincipal : null;

    internal static RpcException RateLimited(string principal, TimeSpan retryAfter)
    {
        var delay = retryAfter < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : retryAfter;
        return Errors.Create(
            StatusCode.ResourceExhausted,
            "RATE_LIMITED",
            $"Token '{principal}' exceeded its write rate (Limits:WritesPerSecondPerPrincipal); retry after {delay.TotalMilliseconds:0} ms.",
            new RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) });
    }
}
