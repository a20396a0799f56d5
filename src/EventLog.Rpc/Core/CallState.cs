namespace Grpc.Core;

/// <summary>What every call result type shares: headers, status, trailers, disposal.</summary>
internal readonly struct CallState(Task<Metadata> responseHeadersAsync, Func<Status> getStatus, Func<Metadata> getTrailers, Action dispose)
{
    public Task<Metadata> ResponseHeadersAsync { get; } = responseHeadersAsync;

    public Status GetStatus() => getStatus();

    public Metadata GetTrailers() => getTrailers();

    public void Dispose() => dispose();
}
