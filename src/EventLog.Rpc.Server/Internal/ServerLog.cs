using Microsoft.Extensions.Logging;

namespace EventLog.Rpc.Server.Internal;

internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled exception in gRPC method {Method}.")]
    public static partial void HandlerFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "gRPC call {Method} rejected: {Reason}.")]
    public static partial void CallRejected(ILogger logger, string method, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "gRPC call {Method} exceeded its deadline.")]
    public static partial void DeadlineExceeded(ILogger logger, string method);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "gRPC call {Method} ended with {StatusCode}: {Detail}.")]
    public static partial void CallEnded(ILogger logger, string method, Grpc.Core.StatusCode statusCode, string detail);
}
