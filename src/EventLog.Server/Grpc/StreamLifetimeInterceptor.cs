using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Health.V1;
using Microsoft.Extensions.Options;

namespace EventLog.Server.Grpc;

/// <summary>
/// Bounds the life of streaming calls. When the host starts stopping, streams end at once with UNAVAILABLE
/// (clients resume on another replica or after the restart) while unary calls drain; without this a
/// follow or watch would hold the host until its shutdown timeout. Response writes that wait for the
/// client longer than <c>Grpc:StreamWriteTimeout</c> cut the call off (<see cref="BoundedStreamWriter{T}"/>).
/// </summary>
internal sealed class StreamLifetimeInterceptor(IHostApplicationLifetime lifetime, IOptions<GrpcHostOptions> options, ILogger<StreamLifetimeInterceptor> logger) : Interceptor
{
    private readonly TimeSpan? _writeTimeout = options.Value.StreamWriteTimeout;

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        using var call = new StoppingCall(context, lifetime.ApplicationStopping);
        try
        {
            var response = await continuation(requestStream, call.Context).ConfigureAwait(false);
            call.ThrowIfStopped();
            return response;
        }
        catch (OperationCanceledException) when (call.Stopped)
        {
            throw StoppingCall.ShuttingDown();
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        using var call = new StoppingCall(context, lifetime.ApplicationStopping);
        try
        {
            await continuation(request, Bound(responseStream, context), call.Context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (call.Stopped)
        {
        }
        if (call.Stopped)
        {
            // A load balancer watching health learns NOT_SERVING before the stream ends.
            if (responseStream is IServerStreamWriter<HealthCheckResponse> health)
            {
                await health.WriteAsync(new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.NotServing }).ConfigureAwait(false);
            }
            throw StoppingCall.ShuttingDown();
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        using var call = new StoppingCall(context, lifetime.ApplicationStopping);
        try
        {
            await continuation(requestStream, Bound(responseStream, context), call.Context).ConfigureAwait(false);
            call.ThrowIfStopped();
        }
        catch (OperationCanceledException) when (call.Stopped)
        {
            throw StoppingCall.ShuttingDown();
        }
    }

    private IServerStreamWriter<T> Bound<T>(IServerStreamWriter<T> stream, ServerCallContext context) =>
        _writeTimeout is { } timeout ? new BoundedStreamWriter<T>(stream, timeout, context.GetHttpContext(), logger) : stream;

    /// <summary>A call's token linked with the host's stopping token.</summary>
    private sealed class StoppingCall : IDisposable
    {
        private readonly ServerCallContext _call;
        private readonly CancellationToken _stopping;
        private readonly CancellationTokenSource _linked;

        /// <summary>
        /// Where grpc-dotnet's <c>GetHttpContext</c> finds the HttpContext of a call whose context was replaced
        /// (reflection and health use it).
        /// </summary>
        private const string HttpContextKey = "__HttpContext";

        public StoppingCall(ServerCallContext call, CancellationToken stopping)
        {
            call.UserState.TryAdd(HttpContextKey, call.GetHttpContext());
            _call = call;
            _stopping = stopping;
            _linked = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken, stopping);
            Context = new StoppingCallContext(call, _linked.Token);
        }

        public ServerCallContext Context { get; }

        /// <summary>The host is stopping and the call itself was neither cancelled nor past its deadline.</summary>
        public bool Stopped => _stopping.IsCancellationRequested && !_call.CancellationToken.IsCancellationRequested;

        /// <summary>A handler that ended its loop because the host stopped still owes the client a status.</summary>
        public void ThrowIfStopped()
        {
            if (Stopped)
            {
                throw ShuttingDown();
            }
        }

        public static RpcException ShuttingDown() =>
            Infrastructure.Errors.Create(StatusCode.Unavailable, "SHUTTING_DOWN", "The server is shutting down; retry, and resume the stream from its last position.");

        public void Dispose() => _linked.Dispose();
    }
}
