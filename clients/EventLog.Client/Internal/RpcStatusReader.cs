using Google.Protobuf;
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
}
