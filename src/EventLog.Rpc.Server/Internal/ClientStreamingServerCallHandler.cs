using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EventLog.Rpc.Server.Internal;

internal sealed class ClientStreamingServerCallHandler<TRequest, TResponse>(
    Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler, GrpcServerOptions options, ServerShutdown shutdown, ILogger logger)
    : ServerCallHandler(method, options, shutdown, logger)
    where TRequest : class
    where TResponse : class
{
    protected override async Task RunAsync(HttpServerCallContext context)
    {
        var reader = new HttpRequestStreamReader<TRequest>(context, method.RequestMarshaller.ContextualDeserializer);
        var response = await handler(reader, context).ConfigureAwait(false);
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
