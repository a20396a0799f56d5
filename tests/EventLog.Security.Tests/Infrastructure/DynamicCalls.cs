using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace EventLog.Security.Tests.Infrastructure;

/// <summary>Calls any RPC from its descriptor with untyped messages, whatever its streaming shape.</summary>
public static class DynamicCalls
{
    /// <summary>A <see cref="Method{TRequest,TResponse}"/> over <see cref="IMessage"/> for a descriptor.</summary>
    public static Method<IMessage, IMessage> ToMethod(MethodDescriptor method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var type = (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (true, false) => MethodType.ClientStreaming,
            (false, true) => MethodType.ServerStreaming,
            _ => MethodType.DuplexStreaming,
        };
        var requests = Marshallers.Create<IMessage>(m => m.ToByteArray(), bytes => method.InputType.Parser.ParseFrom(bytes));
        var responses = Marshallers.Create<IMessage>(m => m.ToByteArray(), bytes => method.OutputType.Parser.ParseFrom(bytes));
        return new Method<IMessage, IMessage>(type, method.Service.FullName, method.Name, requests, responses);
    }

    /// <summary>
    /// Sends <paramref name="requests"/> (one for unary and server-streaming calls) and collects responses until the
    /// call ends or <paramref name="timeout"/> passes (the call's deadline).
    /// </summary>
    public static async Task<CallOutcome> InvokeAsync(CallInvoker invoker, MethodDescriptor method, IReadOnlyList<IMessage> requests, TimeSpan timeout, Metadata? headers = null)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentNullException.ThrowIfNull(requests);
        var rpc = ToMethod(method);
        var options = new CallOptions(headers, DateTime.UtcNow + timeout);
        var responses = new List<IMessage>();
        var hardLimit = timeout + TimeSpan.FromSeconds(20);
        try
        {
            switch (rpc.Type)
            {
                case MethodType.Unary:
                    responses.Add(await invoker.AsyncUnaryCall(rpc, null, options, requests[0]).ResponseAsync.WaitAsync(hardLimit));
                    break;
                case MethodType.ServerStreaming:
                {
                    using var call = invoker.AsyncServerStreamingCall(rpc, null, options, requests[0]);
                    while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(hardLimit))
                    {
                        responses.Add(call.ResponseStream.Current);
                    }
                    return new CallOutcome(StatusCode.OK, "", responses, call.GetTrailers());
                }
                case MethodType.ClientStreaming:
                {
                    using var call = invoker.AsyncClientStreamingCall(rpc, null, options);
                    await WriteAllAsync(call.RequestStream, requests, hardLimit);
                    responses.Add(await call.ResponseAsync.WaitAsync(hardLimit));
                    return new CallOutcome(StatusCode.OK, "", responses, call.GetTrailers());
                }
                default:
                {
                    using var call = invoker.AsyncDuplexStreamingCall(rpc, null, options);
                    await WriteAllAsync(call.RequestStream, requests, hardLimit);
                    while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(hardLimit))
                    {
                        responses.Add(call.ResponseStream.Current);
                    }
                    return new CallOutcome(StatusCode.OK, "", responses, call.GetTrailers());
                }
            }
            return new CallOutcome(StatusCode.OK, "", responses, []);
        }
        catch (RpcException ex)
        {
            return new CallOutcome(ex.StatusCode, ex.Status.Detail, responses, ex.Trailers);
        }
    }

    /// <summary>Writes every request; a write that fails because the server already ended the call is ignored, the status tells why.</summary>
    private static async Task WriteAllAsync(IClientStreamWriter<IMessage> stream, IReadOnlyList<IMessage> requests, TimeSpan limit)
    {
        try
        {
            foreach (var request in requests)
            {
                await stream.WriteAsync(request).WaitAsync(limit);
            }
            await stream.CompleteAsync().WaitAsync(limit);
        }
        catch (RpcException)
        {
            // The response (or the status) says what happened.
        }
        catch (InvalidOperationException)
        {
            // Writing after the call completed.
        }
    }
}
