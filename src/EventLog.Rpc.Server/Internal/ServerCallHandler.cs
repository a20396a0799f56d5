using EventLog.Rpc.Internal;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace EventLog.Rpc.Server.Internal;

/// <summary>
/// Runs one gRPC call over HTTP/2: checks the request, sets up deadline and cancellation, runs the
/// handler and ends the call with a status. Subclasses differ only in how messages flow.
/// </summary>
internal abstract class ServerCallHandler(IMethod method, GrpcServerOptions options, ServerShutdown shutdown, ILogger logger)
{
    public IMethod Method { get; } = method;

    protected GrpcServerOptions Options { get; } = options;

    public async Task HandleCallAsync(HttpContext httpContext)
    {
        if (!GrpcProtocol.IsGrpcContentType(httpContext.Request.ContentType))
        {
            ServerLog.CallRejected(logger, Method.FullName, "content-type");
            httpContext.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            WriteTrailersOnly(httpContext, new Status(StatusCode.Internal, $"Content-Type '{httpContext.Request.ContentType}' is not supported."), setStatusCode: false);
            return;
        }
        if (!RequestChecks.TryGetDeadline(httpContext, out var deadline, out var error)
            || !RequestChecks.TryGetEncoding(httpContext, out var encoding, out error))
        {
            ServerLog.CallRejected(logger, Method.FullName, error.Detail);
            WriteTrailersOnly(httpContext, error, setStatusCode: true);
            return;
        }
        ConfigureStreamingFeatures(httpContext);

        using var context = new HttpServerCallContext(httpContext, Method.FullName, Options, deadline, encoding);
        // A stopping host ends streams (they may run forever; clients resume them elsewhere) but lets a unary
        // call finish, within the host's shutdown timeout, as clients of a draining server expect.
        using var stopping = Method.Type == MethodType.Unary
            ? default
            : shutdown.Token.UnsafeRegister(static state => ((HttpServerCallContext)state!).OnServerStopping(), context);
        var deadlineTimer = deadline == DateTime.MaxValue ? null : new Timer(static state => ((HttpServerCallContext)state!).OnDeadline(), context, Timeout.Infinite, Timeout.Infinite);
        try
        {
            if (deadlineTimer is not null)
            {
                var due = deadline - DateTime.UtcNow;
                deadlineTimer.Change(due <= TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
            }
            var status = await RunHandlerAsync(context).ConfigureAwait(false);
            if (deadlineTimer is not null)
            {
                await deadlineTimer.DisposeAsync().ConfigureAwait(false);
                deadlineTimer = null;
            }
            await context.WaitForDeadlineCompletionAsync().ConfigureAwait(false);
            await context.CompleteAsync(status).ConfigureAwait(false);
            ServerLog.CallEnded(logger, Method.FullName, status.StatusCode, status.Detail);
        }
        finally
        {
            if (deadlineTimer is not null)
            {
                await deadlineTimer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads requests, invokes the service and writes responses.</summary>
    protected abstract Task RunAsync(HttpServerCallContext context);

    // A ValueTask: a call whose handler completes at once (most small unary calls) allocates no task for its status.
    private async ValueTask<Status> RunHandlerAsync(HttpServerCallContext context)
    {
        try
        {
            if (context.DeadlineReached)
            {
                return DeadlineStatus;
            }
            await RunAsync(context).ConfigureAwait(false);
            return context.DeadlineReached ? DeadlineStatus : context.Status;
        }
        catch (RpcException ex)
        {
            if (context.DeadlineReached)
            {
                return DeadlineStatus;
            }
            foreach (var entry in ex.Trailers)
            {
                context.ResponseTrailers.Add(entry);
            }
            return ex.Status;
        }
        catch (Exception) when (context.DeadlineReached)
        {
            ServerLog.DeadlineExceeded(logger, Method.FullName);
            return DeadlineStatus;
        }
        catch (OperationCanceledException) when (context.ServerStopping)
        {
            return new Status(StatusCode.Unavailable, "The server is shutting down.");
        }
        catch (Exception) when (context.ClientAborted || context.CancellationToken.IsCancellationRequested)
        {
            return new Status(StatusCode.Cancelled, "The call was cancelled.");
        }
        catch (Exception ex)
        {
            ServerLog.HandlerFailed(logger, Method.FullName, ex);
            var detail = Options.EnableDetailedErrors ? $"Exception was thrown by handler. {ex.GetType().Name}: {ex.Message}" : "Exception was thrown by handler.";
            return new Status(StatusCode.Unknown, detail, ex);
        }
    }

    internal static Status DeadlineStatus { get; } = new(StatusCode.DeadlineExceeded, "Deadline Exceeded");

    private void ConfigureStreamingFeatures(HttpContext httpContext)
    {
        // A request stream may be long-lived, large and idle at times; gRPC enforces its own per-message
        // limits. A single-message request keeps Kestrel's defaults unless the message limit needs more:
        // touching these features on every small call costs measurable throughput.
        var streamingRequest = Method.Type is MethodType.ClientStreaming or MethodType.DuplexStreaming;
        var maxBody = httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (maxBody is { IsReadOnly: false } && (streamingRequest || maxBody.MaxRequestBodySize < (long)Options.MaxReceiveMessageSize + GrpcProtocol.HeaderSize))
        {
            maxBody.MaxRequestBodySize = null;
        }
        if (streamingRequest && httpContext.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } minRate)
        {
            minRate.MinDataRate = null;
        }
    }

    internal static void WriteTrailersOnly(HttpContext httpContext, Status status, bool setStatusCode)
    {
        var response = httpContext.Response;
        if (setStatusCode)
        {
            response.StatusCode = StatusCodes.Status200OK;
        }
        response.ContentType = GrpcProtocol.ContentType;
        StatusHeaders.Write(response.Headers, status, withDetails: true);
        response.Headers.GrpcAcceptEncoding = GrpcProtocol.SupportedEncodings;
    }
}
