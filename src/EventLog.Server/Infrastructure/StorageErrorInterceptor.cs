using Grpc.Core.Interceptors;

namespace EventLog.Server.Infrastructure;

/// <summary>Turns storage-layer errors into gRPC statuses, so services need no try/catch for them.</summary>
public sealed class StorageErrorInterceptor : Interceptor
{
    /// <inheritdoc/>
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            throw Map(ex);
        }
    }

    /// <inheritdoc/>
    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            throw Map(ex);
        }
    }

    /// <inheritdoc/>
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            throw Map(ex);
        }
    }

    /// <inheritdoc/>
    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            throw Map(ex);
        }
    }

    private static RpcException Map(StorageException exception) => exception switch
    {
        NotFoundException => Errors.Create(StatusCode.NotFound, "NOT_FOUND", exception.Message),
        InvalidPageTokenException => Errors.InvalidArgumentException("INVALID_PAGE_TOKEN", "page_token", exception.Message),
        PreconditionFailedException => Errors.Create(StatusCode.FailedPrecondition, "FAILED_PRECONDITION", exception.Message),
        ConflictException => Errors.Create(StatusCode.AlreadyExists, "CONFLICT", exception.Message),
        LimitExceededException => Errors.Create(StatusCode.ResourceExhausted, "RESOURCE_EXHAUSTED", exception.Message),
        _ => Errors.Create(StatusCode.Internal, "STORAGE", "Storage error."),
    };
}
