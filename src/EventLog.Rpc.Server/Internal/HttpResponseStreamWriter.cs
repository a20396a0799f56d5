using Grpc.Core;

namespace EventLog.Rpc.Server.Internal;

/// <summary>Writes response messages to the HTTP/2 response body.</summary>
internal sealed class HttpResponseStreamWriter<TResponse>(HttpServerCallContext context, Action<TResponse, SerializationContext> serializer) : IServerStreamWriter<TResponse>
{
    public WriteOptions? WriteOptions
    {
        get => context.WriteOptions;
        set => context.WriteOptions = value;
    }

    public Task WriteAsync(TResponse message) => WriteAsync(message, CancellationToken.None);

    public Task WriteAsync(TResponse message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (context.CancellationToken.IsCancellationRequested)
        {
            return Task.FromException(new RpcException(context.DeadlineReached
                ? new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded")
                : new Status(StatusCode.Cancelled, "Call cancelled")));
        }
        return context.WriteMessageAsync(message, serializer, cancellationToken);
    }
}
