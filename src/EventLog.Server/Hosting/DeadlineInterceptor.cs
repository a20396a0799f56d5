using Grpc.Core.Interceptors;

namespace EventLog.Server.Hosting;

/// <summary>
/// Ends a call with one response DEADLINE_EXCEEDED once its deadline (<see cref="CallDeadline"/>) has passed, whether
/// the handler then fails (its token fired) or returns: a response is never written after the deadline. A handler's
/// own DEADLINE_EXCEEDED (WaitTask says what it waited for) goes out as it is. The handler
/// sees the deadline as <see cref="ServerCallContext.Deadline"/>. Calls without a deadline pass straight through.
/// </summary>
internal sealed class DeadlineInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return CallDeadline.Of(context) is { } deadline ? RunAsync(deadline, context, call => continuation(request, call)) : continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return CallDeadline.Of(context) is { } deadline ? RunAsync(deadline, context, call => continuation(requestStream, call)) : continuation(requestStream, context);
    }

    private static async Task<T> RunAsync<T>(CallDeadline deadline, ServerCallContext context, Func<ServerCallContext, Task<T>> handler)
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
}
