using System.Runtime.CompilerServices;

namespace Grpc.Core;

/// <summary>A unary call in progress.</summary>
public sealed class AsyncUnaryCall<TResponse> : IDisposable
{
    private readonly CallState _state;

    /// <summary>Creates the call result.</summary>
    public AsyncUnaryCall(Task<TResponse> responseAsync, Task<Metadata> responseHeadersAsync, Func<Status> getStatusFunc, Func<Metadata> getTrailersFunc, Action disposeAction)
    {
        ResponseAsync = responseAsync;
        _state = new CallState(responseHeadersAsync, getStatusFunc, getTrailersFunc, disposeAction);
    }

    /// <summary>The response; faults with <see cref="RpcException"/> on a non-OK status.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>The response headers.</summary>
    public Task<Metadata> ResponseHeadersAsync => _state.ResponseHeadersAsync;

    /// <summary>Awaits the response.</summary>
    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();

    /// <summary>Awaits the response with a context choice.</summary>
    public ConfiguredTaskAwaitable<TResponse> ConfigureAwait(bool continueOnCapturedContext) => ResponseAsync.ConfigureAwait(continueOnCapturedContext);

    /// <summary>The status; only valid after the call finished.</summary>
    public Status GetStatus() => _state.GetStatus();

    /// <summary>The trailers; only valid after the call finished.</summary>
    public Metadata GetTrailers() => _state.GetTrailers();

    /// <summary>Cancels the call if still running and frees its resources.</summary>
    public void Dispose() => _state.Dispose();
}
