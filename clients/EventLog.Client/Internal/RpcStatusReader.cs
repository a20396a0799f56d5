using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using RpcStatus = Google.Rpc.Status;

namespace EventLog.Client.Internal;

/// <summary>Reads the <c>google.rpc.Status</c> a server put in <c>grpc-status-details-bin</c>.</summary>
internal static class RpcStatusReader
{
    private const string TrailerKey = "grpc-status-details-bin";

    /// <summary>
    /// The status details of <paramref name="exception"/>, or null when there are none or they cannot be
    /// parsed: a failure must still surface as its status code, whatever a proxy or a faulty peer sent.
    /// </summary>
    public static RpcStatus? TryGet(RpcException exception)
    {
        var bytes = exception.Trailers.GetValueBytes(TrailerKey);
        if (bytes is null)
        {
            return null;
        }
        try
        {
            return RpcStatus.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>The first detail of type <typeparamref name="T"/>, or null when there is none or it cannot be parsed.</summary>
    public static T? TryGetDetail<T>(RpcStatus? status)
        where T : class, IMessage<T>, new()
    {
        if (status is null)
        {
            return null;
        }
        try
        {
            return status.GetDetail<T>();
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
