using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EventLog.Rpc.Server.Internal;

internal sealed class UnaryServerCallHandler<TRequest, TResponse>(
    Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler, GrpcServerOptions options, ServerShutdown shutdown, ILogger logger)
    : ServerCallHandler(method, options, shutdown, logger)
    where TRequest : class
    where TResponse : class
{
    protected override async Task RunAsync(HttpServerCallContext context)
    {
        var request = await HttpRequestStreamReader<TRequest>.ReadSingleAsync(context, method.RequestMarshaller.ContextualDeserializer).ConfigureAwait(false);
        var response = await handler(request, context).ConfigureAwait(false);
        if (context.Status.StatusCode != StatusCode.OK)
        {
            return;
        }
        if (response is null)
        {
            throw new RpcException(new Status(StatusCode.Internal, "No message returned from method."));
        }
        await context.WriteMessageAsync(response, method.ResponseMarshaller.ContextualSerializer, CancellationToken.None, flush: false).ConfigureAwait(false);
    }
}
