using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EventLog.Rpc.Server.Internal;

internal sealed class DuplexStreamingServerCallHandler<TRequest, TResponse>(
    Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler, GrpcServerOptions options, ServerShutdown shutdown, ILogger logger)
    : ServerCallHandler(method, options, shutdown, logger)
    where TRequest : class
    where TResponse : class
{
    protected override Task RunAsync(HttpServerCallContext context) =>
        handler(
            new HttpRequestStreamReader<TRequest>(context, method.RequestMarshaller.ContextualDeserializer),
            new HttpResponseStreamWriter<TResponse>(context, method.ResponseMarshaller.ContextualSerializer),
            context);
}
