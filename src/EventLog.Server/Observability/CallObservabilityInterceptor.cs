using System.Diagnostics;
using Grpc.Core.Interceptors;

namespace EventLog.Server.Observability;

/// <summary>
/// The outermost interceptor: gives each call a request id and a logging scope, and when it ends writes one
/// structured log line (method, status, duration, request id, principal name, peer), records the metrics and
/// completes the call's server span (ASP.NET Core's request activity) with the RPC attributes, the request id,
/// the principal's name and project. Calls rejected by the runtime before any interceptor runs (malformed frames,
/// bad headers) are not seen here, nor are health and reflection calls, which do not run it.
/// </summary>
public sealed class CallObservabilityInterceptor(EventLogMetrics metrics, IOptions<ObservabilityOptions> options, IHostApplicationLifetime lifetime, ILogger<CallObservabilityInterceptor> logger) : Interceptor
{
    private readonly bool _tracing = options.Value.EnableTracing;

    /// <inheritdoc/>
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var call = Begin(context, streaming: false);
        try
        {
            var response = await continuation(request, context).ConfigureAwait(false);
            End(call, context, null);
            return response;
        }
        catch (Exception ex)
        {
            End(call, context, ex);
            throw;
        }
    }

    /// <inheritdoc/>
    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var call = Begin(context, streaming: true);
        try
        {
            var response = await continuation(requestStream, context).ConfigureAwait(false);
            End(call, context, null);
            return response;
        }
        catch (Exception ex)
        {
            End(call, context, ex);
            throw;
        }
    }

    /// <inheritdoc/>
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var call = Begin(context, streaming: true);
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
            End(call, context, null);
        }
        catch (Exception ex)
        {
            End(call, context, ex);
            throw;
        }
    }

    /// <inheritdoc/>
    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var call = Begin(context, streaming: true);
        try
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
            End(call, context, null);
        }
        catch (Exception ex)
        {
            End(call, context, ex);
            throw;
        }
    }

    private CallState Begin(ServerCallContext context, bool streaming)
    {
        var method = RpcMethod.Of(context.Method);
        var scope = new CallScope(RequestIds.FromMetadata(context.RequestHeaders), context.Method, context);
        context.ResponseTrailers.Add(RequestIds.Header, scope.RequestId);
        if (streaming)
        {
            metrics.StreamChanged(method, +1);
        }
        var span = _tracing && Activity.Current is { IsAllDataRequested: true } current ? current : null;
        span?.SetCustomProperty(RpcMethod.ActivityProperty, method);
        return new CallState(method, scope, logger.BeginScope(scope), Stopwatch.GetTimestamp(), streaming, span);
    }

    private void End(CallState call, ServerCallContext context, Exception? exception)
    {
        var elapsed = Stopwatch.GetElapsedTime(call.Started);
        var status = StatusOf(context, exception);
        if (call.Streaming)
        {
            metrics.StreamChanged(call.Method, -1);
        }
        metrics.CallCompleted(call.Method, status.StatusCode, elapsed);
        if (call.Span is { } span)
        {
            CallSpan.Complete(span, call.Method, status.StatusCode, call.Scope);
        }
        CallLog.Completed(logger, context, status, elapsed, call.Scope.RequestId, call.Scope.Principal);
        call.LogScope?.Dispose();
    }

    /// <summary>
    /// The status the call ends with, as the runtime decides it. The call's token fires for the deadline, a client
    /// that reset the stream, or the host stopping. A handler that returns normally after its token fired (a watch
    /// ending its loop) has its status sent only when the host is stopping; after a reset the client is gone, and
    /// the call was CANCELLED.
    /// </summary>
    private Status StatusOf(ServerCallContext context, Exception? exception)
    {
        var cancelled = context.CancellationToken.IsCancellationRequested;
        var stopping = lifetime.ApplicationStopping.IsCancellationRequested;
        return exception switch
        {
            null when cancelled && DateTime.UtcNow >= context.Deadline => new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"),
            null when cancelled && !stopping => new Status(StatusCode.Cancelled, "The call was cancelled."),
            null => context.Status,
            RpcException rpc => rpc.Status,
            _ when cancelled && DateTime.UtcNow >= context.Deadline => new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"),
            OperationCanceledException when cancelled && stopping => new Status(StatusCode.Unavailable, "The server is shutting down."),
            _ when cancelled => new Status(StatusCode.Cancelled, "The call was cancelled."),
            _ => new Status(StatusCode.Unknown, $"{exception.GetType().Name} thrown by handler."),
        };
    }

    private sealed record CallState(RpcMethod Method, CallScope Scope, IDisposable? LogScope, long Started, bool Streaming, Activity? Span);
}
