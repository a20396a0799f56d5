using Grpc.AspNetCore.Server.Model;
using Grpc.Core.Interceptors;
using Grpc.Health.V1;

namespace EventLog.Server.Hosting;

/// <summary>
/// Bounds the life of calls. Calls with one response end at the deadline EventLog keeps for them
/// (<see cref="KeepAsync{T}"/>). When the host starts stopping, streams and long polls (WaitTask, PublishLog)
/// end at once with UNAVAILABLE (clients resume on another replica or after the restart) while other unary
/// calls drain; without this a follow or watch would hold the host until its shutdown timeout. Response
/// writes that wait for the client longer than <c>Grpc:StreamWriteTimeout</c> cut the call off
/// (<see cref="BoundedStreamWriter{T}"/>).
/// </summary>
internal sealed class StreamLifetimeInterceptor(IHostApplicationLifetime lifetime, IOptions<GrpcHostOptions> options, ILogger<StreamLifetimeInterceptor> logger) : Interceptor
{
    /// <summary>Unary calls that wait for something to happen, as long as their deadline allows.</summary>
    private static bool IsLongPoll(string method) => method is "/eventlog.v1.TaskLogService/WaitTask" or "/eventlog.v1.GuestLogsService/PublishLog";

    private readonly TimeSpan? _writeTimeout = options.Value.StreamWriteTimeout;

    /// <summary>
    /// A unary handler of a service that runs no interceptors (health, reflection) bound with call lifetimes: grpc-dotnet's
    /// pipeline would resolve and run an interceptor per call, a cost a probe answered in microseconds feels.
    /// </summary>
    public UnaryServerMethod<TService, TRequest, TResponse> Bind<TService, TRequest, TResponse>(UnaryServerMethod<TService, TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class =>
        (service, request, context) => UnaryServerHandler(request, context, (r, c) => handler(service, r, c));

    /// <summary>A client-streaming handler bound with call lifetimes (<see cref="Bind{TService, TRequest, TResponse}(UnaryServerMethod{TService, TRequest, TResponse})"/>).</summary>
    public ClientStreamingServerMethod<TService, TRequest, TResponse> Bind<TService, TRequest, TResponse>(ClientStreamingServerMethod<TService, TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class =>
        (service, requests, context) => ClientStreamingServerHandler(requests, context, (r, c) => handler(service, r, c));

    /// <summary>A server-streaming handler bound with call lifetimes (<see cref="Bind{TService, TRequest, TResponse}(UnaryServerMethod{TService, TRequest, TResponse})"/>).</summary>
    public ServerStreamingServerMethod<TService, TRequest, TResponse> Bind<TService, TRequest, TResponse>(ServerStreamingServerMethod<TService, TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class =>
        (service, request, responses, context) => ServerStreamingServerHandler(request, responses, context, (r, s, c) => handler(service, r, s, c));

    /// <summary>A duplex handler bound with call lifetimes (<see cref="Bind{TService, TRequest, TResponse}(UnaryServerMethod{TService, TRequest, TResponse})"/>).</summary>
    public DuplexStreamingServerMethod<TService, TRequest, TResponse> Bind<TService, TRequest, TResponse>(DuplexStreamingServerMethod<TService, TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class =>
        (service, requests, responses, context) => DuplexStreamingServerHandler(requests, responses, context, (r, s, c) => handler(service, r, s, c));

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        UnaryServerMethod<TRequest, TResponse> handler = IsLongPoll(context.Method) ? (r, c) => RunAsync(c, call => continuation(r, call)) : continuation;
        return CallDeadline.Of(context) is { } deadline ? KeepAsync(deadline, context, call => handler(request, call)) : handler(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Func<ServerCallContext, Task<TResponse>> handler = c => RunAsync(c, call => continuation(new GuardedStreamReader<TRequest>(requestStream, context), call));
        return CallDeadline.Of(context) is { } deadline ? KeepAsync(deadline, context, handler) : handler(context);
    }

    /// <summary>
    /// Runs a call with one response under the deadline EventLog keeps (<see cref="CallDeadline"/>), which the handler
    /// sees as its context's deadline. Once the deadline has passed the call ends DEADLINE_EXCEEDED, whether the handler
    /// then fails (its token fired) or returns: a response is never written after the deadline. A handler's own
    /// DEADLINE_EXCEEDED (WaitTask says what it waited for) goes out as it is.
    /// </summary>
    private static async Task<T> KeepAsync<T>(CallDeadline deadline, ServerCallContext context, Func<ServerCallContext, Task<T>> handler)
    {
        CallContextView.KeepHttpContext(context);
        T response;
        try
        {
            response = await handler(new CallContextView(context, context.CancellationToken, deadline.Deadline)).ConfigureAwait(false);
        }
        catch (Exception ex) when (deadline.Passed && ex is not RpcException { StatusCode: StatusCode.DeadlineExceeded })
        {
            throw CallDeadline.Exceeded();
        }
        if (deadline.Passed)
        {
            throw CallDeadline.Exceeded();
        }
        return response;
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var health = responseStream is IServerStreamWriter<HealthCheckResponse> watch ? new HealthWatchWriter(watch) : null;
        var stream = health as IServerStreamWriter<TResponse> ?? responseStream;
        return RunAsync(context, async call =>
        {
            try
            {
                await continuation(request, Bound(stream, context), call).ConfigureAwait(false);
            }
            catch (Exception) when (IsStopped(context))
            {
                // Answered below, and by RunAsync.
            }
            if (IsStopped(context) && health is not null)
            {
                await health.EndNotServingAsync().ConfigureAwait(false);
            }
            return true;
        });
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return RunAsync(context, async call =>
        {
            await continuation(new GuardedStreamReader<TRequest>(requestStream, context), Bound(responseStream, context), call).ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>
    /// Runs a handler with a token that also fires when the host stops. A handler that then fails, or returns
    /// because its loop ended, still owes the client a status: UNAVAILABLE.
    /// </summary>
    private async Task<T> RunAsync<T>(ServerCallContext context, Func<ServerCallContext, Task<T>> handler)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        // Cancelled off the stopping thread: what runs on the token (grpc-dotnet resets a stream with a write pending)
        // must not run, or throw, inside the host's ApplicationStopping callbacks, which log a failure as Critical.
        using var stopping = lifetime.ApplicationStopping.Register(static state => _ = ((CancellationTokenSource)state!).CancelAsync(), linked);
        CallContextView.KeepHttpContext(context);
        T result;
        try
        {
            result = await handler(new CallContextView(context, linked.Token)).ConfigureAwait(false);
        }
        catch (Exception) when (IsStopped(context))
        {
            throw ShuttingDown();
        }
        if (IsStopped(context))
        {
            throw ShuttingDown();
        }
        return result;
    }

    /// <summary>The host is stopping, and the call itself was neither cancelled nor past its deadline.</summary>
    private bool IsStopped(ServerCallContext context) =>
        lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested;

    private static RpcException ShuttingDown() =>
        Infrastructure.Errors.Create(StatusCode.Unavailable, "SHUTTING_DOWN", "The server is shutting down; retry, and resume a stream from its last position.");

    private IServerStreamWriter<T> Bound<T>(IServerStreamWriter<T> stream, ServerCallContext context) =>
        _writeTimeout is { } timeout ? new BoundedStreamWriter<T>(stream, timeout, context.GetHttpContext(), logger) : stream;

    /// <summary>
    /// A health Watch's stream that remembers the last status sent, so that at shutdown the watcher learns
    /// NOT_SERVING before the stream ends, once: grpc-dotnet's health service may have sent it already.
    /// </summary>
    private sealed class HealthWatchWriter(IServerStreamWriter<HealthCheckResponse> inner) : IServerStreamWriter<HealthCheckResponse>
    {
        private HealthCheckResponse.Types.ServingStatus? _last;

        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(HealthCheckResponse message) => WriteAsync(message, CancellationToken.None);

        public Task WriteAsync(HealthCheckResponse message, CancellationToken cancellationToken)
        {
            _last = message.Status;
            return inner.WriteAsync(message, cancellationToken);
        }

        public Task EndNotServingAsync() =>
            _last == HealthCheckResponse.Types.ServingStatus.NotServing
                ? Task.CompletedTask
                : inner.WriteAsync(new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.NotServing });
    }
}
