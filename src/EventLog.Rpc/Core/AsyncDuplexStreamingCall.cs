namespace Grpc.Core;

/// <summary>A duplex-streaming call in progress.</summary>
public sealed class AsyncDuplexStreamingCall<TRequest, TResponse> : IDisposable
{
    private readonly CallState _state;

    /// <summary>Creates the call result.</summary>
    public AsyncDuplexStreamingCall(IClientStreamWriter<TRequest> requestStream, IAsyncStreamReader<TResponse> responseStream, Task<Metadata> responseHeadersAsync, Func<Status> getStatusFunc, Func<Metadata> getTrailersFunc, Action disposeAction)
    {
        RequestStream = requestStream;
        ResponseStream = responseStream;
        _state = new CallState(responseHeadersAsync, getStatusFunc, getTrailersFunc, disposeAction);
    }

    /// <summary>The request writer.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The responses.</summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    /// <summary>The response headers.</summary>
    public Task<Metadata> ResponseHeadersAsync => _state.ResponseHeadersAsync;

    /// <summary>The status; only valid after the call finished.</summary>
    public Status GetStatus() => _state.GetStatus();

    /// <summary>The trailers; only valid after the call finished.</summary>
    public Metadata GetTrailers() => _state.GetTrailers();

    /// <summary>Cancels the call if still running and frees its resources.</summary>
    public void Dispose() => _state.Dispose();
}
