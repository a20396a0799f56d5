using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EventLog.Rpc.Server.Internal;

internal sealed class UnaryServerCallHandler<TRequest, TResponse>(
    Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler, GrpcServerOptions options, ServerShutdown shutdown, ILogger logger)
    : ServerCallHandler(method, options, shutdown, logger)
    where TRequest : class
    where TResponse : class
{
    // Not async: a small call whose request is already buffered and whose handler completes at once (the common
    // case) runs through without a state machine. Whatever has to wait continues in RunAfterReadAsync/RespondAsync.
    protected override Task RunAsync(HttpServerCallContext context)
    {
        var reading = HttpRequestStreamReader<TRequest>.ReadSingleAsync(context, method.RequestMarshaller.ContextualDeserializer);
        if (!reading.IsCompletedSuccessfully)
        {
            return RunAfterReadAsync(reading, context);
        }
        var handling = handler(reading.Result, context);
        return handling.IsCompletedSuccessfully ? Respond(handling.Result, context) : RespondAsync(handling, context);
    }

    private async Task RunAfterReadAsync(ValueTask<TRequest> reading, HttpServerCallContext context)
    {
        var request = await reading.ConfigureAwait(false);
        await RespondAsync(handler(request, context), context).ConfigureAwait(false);
    }

    private async Task RespondAsync(Task<TResponse> handling, HttpServerCallContext context) =>
        await Respond(await handling.ConfigureAwait(false), context).ConfigureAwait(false);

    private Task Respond(TResponse? response, HttpServerCallContext context)
    {
        if (context.Status.StatusCode != StatusCode.OK)
        {
            return Task.CompletedTask;
        }
        if (response is null)
        {
            throw new RpcException(new Status(StatusCode.Internal, "No message returned from method."));
        }
        return context.WriteMessageAsync(response, method.ResponseMarshaller.ContextualSerializer, CancellationToken.None, flush: false);
    }
}
