
namespace EventLog.Server.Observability;

/// <summary>The per-call log events. Never log a token: only the principal's configured name.</summary>
internal static partial class CallLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Debug, Message = "gRPC {Method} {StatusCode} in {DurationMs:0.###} ms (request {RequestId}, principal {Principal}, peer {Peer})")]
    public static partial void CallCompleted(ILogger logger, string method, string statusCode, double durationMs, string requestId, string principal, string peer);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "gRPC {Method} {StatusCode} in {DurationMs:0.###} ms (request {RequestId}, principal {Principal}, peer {Peer}): {Detail}")]
    public static partial void CallFailed(ILogger logger, string method, string statusCode, double durationMs, string requestId, string principal, string peer, string detail);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "gRPC {Method} {StatusCode} in {DurationMs:0.###} ms (request {RequestId}, principal {Principal}, peer {Peer}): {Detail}")]
    public static partial void CallBroken(ILogger logger, string method, string statusCode, double durationMs, string requestId, string principal, string peer, string detail);

    [LoggerMessage(EventId = 703, Level = LogLevel.Error, Message = "gRPC {Method} {StatusCode} in {DurationMs:0.###} ms (request {RequestId}, principal {Principal}, peer {Peer}): {Detail}")]
    public static partial void CallFaulted(ILogger logger, string method, string statusCode, double durationMs, string requestId, string principal, string peer, string detail);

    /// <summary>
    /// A successful call is a Debug line: at Information a busy server wrote more log than data. Health and
    /// reflection calls do not come here at all (probes come every few seconds; see <c>GrpcHostingServiceCollectionExtensions.ProbeServiceTypes</c>).
    /// Server faults (UNKNOWN: a handler threw; DATA_LOSS) are errors. INTERNAL is a warning: the runtime also uses it
    /// for malformed frames and messages, which are the caller's fault. Everything else is the caller's business.
    /// The peer is formatted only for a line that is written: it is a string built per call.
    /// </summary>
    public static void Completed(ILogger logger, ServerCallContext context, Status status, TimeSpan duration, string requestId, string principal)
    {
        var (code, detail, method) = (status.StatusCode, status.Detail, context.Method);
        var level = code switch
        {
            StatusCode.OK => LogLevel.Debug,
            StatusCode.Unknown or StatusCode.DataLoss => LogLevel.Error,
            StatusCode.Internal => LogLevel.Warning,
            _ => LogLevel.Information,
        };
        if (!logger.IsEnabled(level))
        {
            return;
        }
        var (name, ms, peer) = (StatusCodeNames.Get(code), duration.TotalMilliseconds, context.Peer);
        if (code == StatusCode.OK)
        {
            CallCompleted(logger, method, name, ms, requestId, principal, peer);
        }
        else if (level == LogLevel.Error)
        {
            CallFaulted(logger, method, name, ms, requestId, principal, peer, detail);
        }
        else if (level == LogLevel.Warning)
        {
            CallBroken(logger, method, name, ms, requestId, principal, peer, detail);
        }
        else
        {
            CallFailed(logger, method, name, ms, requestId, principal, peer, detail);
        }
    }
}
