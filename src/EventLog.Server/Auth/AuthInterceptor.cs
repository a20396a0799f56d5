using Grpc.Core.Interceptors;

namespace EventLog.Server.Auth;

/// <summary>
/// Authenticates every call of an EventLog service from <c>authorization: Bearer &lt;token&gt;</c> and stores the
/// principal for the service. Health and reflection do not run it (see
/// <see cref="Hosting.GrpcHostingServiceCollectionExtensions.AddEventLogCallPipeline{TService}"/>): they stay open
/// so probes and tools work without a token.
/// </summary>
public sealed class AuthInterceptor(TokenStore tokens) : Interceptor
{
    /// <inheritdoc/>
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, context);
    }

    /// <inheritdoc/>
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, context);
    }

    /// <inheritdoc/>
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, responseStream, context);
    }

    /// <inheritdoc/>
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authenticate(ServerCallContext context)
    {
        if (!TokenStore.TryReadBearer(context.RequestHeaders.GetValue("authorization"), out var token))
        {
            Infrastructure.Errors.Unauthenticated("Missing 'authorization: Bearer <token>' metadata.");
        }
        var principal = tokens.Find(token);
        if (principal is null)
        {
            Infrastructure.Errors.Unauthenticated("The bearer token is not valid.");
        }
        context.UserState[CallContextAuthExtensions.PrincipalKey] = principal;
    }
}
