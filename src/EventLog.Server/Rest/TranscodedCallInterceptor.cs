using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;

namespace EventLog.Server.Rest;

/// <summary>
/// Adapts an HTTP/JSON call to what the rest of the pipeline expects of a gRPC call. It runs right after the
/// per-call logging, which has put the call's <c>x-request-id</c> in the response trailers: HTTP/1.1 responses
/// have no trailers, so the id is sent as a response header instead. Transcoding's response stream refuses
/// <see cref="WriteOptions"/> (it flushes every message anyway), so streams get a writer that keeps them
/// to itself. gRPC calls pass through untouched.
/// </summary>
internal sealed class TranscodedCallInterceptor : Interceptor
{
    /// <inheritdoc/>
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        CopyTrailersToHeaders(context);
        return continuation(request, context);
    }

    /// <inheritdoc/>
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return CopyTrailersToHeaders(context)
            ? continuation(request, new JsonStreamWriter<TResponse>(responseStream), context)
            : continuation(request, responseStream, context);
    }

    /// <summary>For a transcoded call, sends the trailers set so far as headers and returns true.</summary>
    private static bool CopyTrailersToHeaders(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        if (http.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is null)
        {
            return false;
        }
        foreach (var entry in context.ResponseTrailers)
        {
            if (!entry.IsBinary)
            {
                http.Response.Headers[entry.Key] = entry.Value;
            }
        }
        return true;
    }

    /// <summary>A transcoded response stream whose <see cref="WriteOptions"/> are kept here, not passed on.</summary>
    private sealed class JsonStreamWriter<T>(IServerStreamWriter<T> inner) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(T message) => inner.WriteAsync(message);

        public Task WriteAsync(T message, CancellationToken cancellationToken) => inner.WriteAsync(message, cancellationToken);
    }
}
