using Grpc.Core;

namespace EventLog.Rpc.Client.Internal;

/// <summary>Reads the response messages of a server- or duplex-streaming call; one read at a time.</summary>
internal sealed class ResponseStreamReader<TRequest, TResponse>(GrpcCall<TRequest, TResponse> call) : IAsyncStreamReader<TResponse>
    where TRequest : class
    where TResponse : class
{
    private readonly Lock _lock = new();
    private Task<bool> _lastRead = Task.FromResult(true);

    public TResponse Current { get; private set; } = default!;

    public Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_lastRead.IsCompleted)
            {
                return Task.FromException<bool>(new InvalidOperationException("Can't read the next message because the previous read is still in progress."));
            }
            return _lastRead = MoveNextCoreAsync(cancellationToken);
        }
    }

    private async Task<bool> MoveNextCoreAsync(CancellationToken cancellationToken)
    {
        var (hasMessage, message) = await call.ReadStreamMessageAsync(cancellationToken).ConfigureAwait(false);
        if (hasMessage)
        {
            Current = message;
        }
        return hasMessage;
    }
}
