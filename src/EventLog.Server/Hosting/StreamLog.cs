namespace EventLog.Server.Hosting;

/// <summary>Log events of stream lifetimes.</summary>
internal static partial class StreamLog
{
    [LoggerMessage(EventId = 720, Level = LogLevel.Warning, Message = "Cut off {Path}: the client read nothing for {Seconds} s (Grpc:StreamWriteTimeout).")]
    public static partial void SlowConsumerCut(ILogger logger, string path, double seconds);
}
