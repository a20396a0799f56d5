using EventLog.Rpc;
using Grpc.Core;

namespace EventLog.Server.Observability;

/// <summary>The per-call log events. Never log a token: only the principal's configured name.</summary>
internal static partial class CallLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "gRPC {Method} {StatusCode} in {DurationMs:0.###} ms (request {RequestId}, principal {Principal}, peer {Peer})")]
    public static partial void CallCompleted(ILogger logger, string method, string statusCode, double durationMs, string requestId, string principal, string peer);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "gRPC {Method} {StatusCode} in {DurationMs:0.###} ms (request {RequestId}, principal {Principal}, peer {Peer}): {Detail}")]
    public static partial void CallFailed(ILogger logger, string method, string statusCode, double durationMs, string requestId, string principal, string peer, string detail);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "gRPC {Method} {StatusCode} in {DurationMs:0.###} ms (request {RequestId}, principal {Principal}, peer {Peer}): {Detail}")]
    public static partial void CallBroken(ILogger logger, string method, string statusCode, double durationMs, string requestId, string principal, string peer, string detail);

    [LoggerMessage(EventId = 703, Level = LogLevel.Error, Message = "gRPC {Method} {StatusCode} in {DurationMs:0.###} ms (request {RequestId}, principal {Principal}, peer {Peer}): {Detail}")]
    public static partial void CallFaulted(ILogger logger, string method, string statusCode, double durationMs, string requestId, string principal, string peer, string detail);

    /// <summary>
    /// Server faults (UNKNOWN: a handler threw; DATA_LOSS) are errors. INTERNAL is a warning: the runtime also uses it
    /// for malformed frames and messages, which are the caller's fault. Everything else is the caller's business.
    /// </summary>
    public static void Completed(ILogger logger, string method, StatusCode code, string detail, TimeSpan duration, string requestId, string principal, string peer)
    {
        var name = StatusCodeNames.Get(code);
        var ms = duration.TotalMilliseconds;
        if (code == StatusCode.OK)
        {
            CallCompleted(logger, method, name, ms, requestId, principal, peer);
        }
        else if (code is StatusCode.Unknown or StatusCode.DataLoss)
        {
            CallFaulted(logger, method, name, ms, requestId, principal, peer, detail);
        }
        else if (code == StatusCode.Internal)
        {
            CallBroken(logger, method, name, ms, requestId, principal, peer, detail);
        }
        else
        {
            CallFailed(logger, method, name, ms, requestId, principal, peer, detail);
        }
    }
}
