using Grpc.Core;
using Grpc.Core.Interceptors;

namespace EventLog.Client.Internal;

/// <summary>
/// Gives every call of the client, the SDK's own and those made through <see cref="EventLogClient.CallInvoker"/>, a
/// client span and a duration measurement (<see cref="ClientCallTelemetry"/>), ended when the call's outcome is known:
/// its response for unary and client-streaming calls, the end of the response stream (or its dispose) for the others.
/// Calls nobody observes pass straight through.
/// </summary>
internal sealed class CallTelemetryInterceptor : Interceptor
{
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        if (ClientCallTelemetry.Start(context.Method) is not { } call)
        {
            return continuation(request, context);
        }
        var response = call.Run(() => continuation(request, call.Propagate(context)));
        call.End(StatusCode.OK);
        return response;
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        if (ClientCallTelemetry.Start(context.Method) is not { } call)
        {
            return continuation(request, context);
        }
        var inner = call.Run(() => continuation(request, call.Propagate(context)));
        return new AsyncUnaryCall<TResponse>(EndWithAsync(call, inner.ResponseAsync), inner.ResponseHeadersAsync, inner.GetStatus, inner.GetTrailers, inner.Dispose);
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        if (ClientCallTelemetry.Start(context.Method) is not { } call)
        {
            return continuation(context);
        }
        var inner = call.Run(() => continuation(call.Propagate(context)));
        return new AsyncClientStreamingCall<TRequest, TResponse>(inner.RequestStream, EndWithAsync(call, inner.ResponseAsync), inner.ResponseHeadersAsync, inner.GetStatus, inner.GetTrailers, inner.Dispose);
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        if (ClientCallTelemetry.Start(context.Method) is not { } call)
        {
            return continuation(request, context);
        }
        var inner = call.Run(() => continuation(request, call.Propagate(context)));
        return new AsyncServerStreamingCall<TResponse>(new EndingReader<TResponse>(inner.ResponseStream, call), inner.ResponseHeadersAsync, inner.GetStatus, inner.GetTrailers, () => Dispose(inner, call));
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        if (ClientCallTelemetry.Start(context.Method) is not { } call)
        {
            return continuation(context);
        }
        var inner = call.Run(() => continuation(call.Propagate(context)));
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(inner.RequestStream, new EndingReader<TResponse>(inner.ResponseStream, call), inner.ResponseHeadersAsync, inner.GetStatus, inner.GetTrailers, () => Dispose(inner, call));
    }

    /// <summary>The response, ending the call's telemetry with its outcome.</summary>
    private static async Task<TResponse> EndWithAsync<TResponse>(ClientCallTelemetry call, Task<TResponse> response)
    {
        try
        {
            var result = await response.ConfigureAwait(false);
            call.End(StatusCode.OK);
            return result;
        }
        catch (Exception ex)
        {
            call.End(ex);
            throw;
        }
    }

    /// <summary>A stream disposed before it ended was abandoned by its reader: grpc-dotnet cancels it.</summary>
    private static void Dispose(IDisposable inner, ClientCallTelemetry call)
    {
        inner.Dispose();
        call.End(StatusCode.Cancelled);
    }

    /// <summary>The response stream, ending the call's telemetry when it ends or fails.</summary>
    private sealed class EndingReader<T>(IAsyncStreamReader<T> inner, ClientCallTelemetry call) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            try
            {
                var more = await inner.MoveNext(cancellationToken).ConfigureAwait(false);
                if (!more)
                {
                    call.End(StatusCode.OK);
                }
                return more;
            }
            catch (Exception ex)
            {
                call.End(ex);
                throw;
            }
        }
    }
}
