using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EventLog.Rpc.Server.Internal;

internal sealed class ServerStreamingServerCallHandler<TRequest, TResponse>(
    Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler, GrpcServerOptions options, ServerShutdown shutdown, ILogger logger)
    : ServerCallHandler(method, options, shutdown, logger)
    where TRequest : class
    where TResponse : class
{
    protected override async Task RunAsync(HttpServerCallContext context)
    {
        var request = await HttpRequestStreamReader<TRequest>.ReadSingleAsync(context, method.RequestMarshaller.ContextualDeserializer).ConfigureAwait(false);
        await handler(request, new HttpResponseStreamWriter<TResponse>(context, method.ResponseMarshaller.ContextualSerializer), context).ConfigureAwait(false);
    }
}
