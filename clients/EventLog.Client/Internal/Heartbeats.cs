using EventLog.V1;

namespace EventLog.Client.Internal;

/// <summary>Hands heartbeats, resets and a guest log's start to the caller's hooks.</summary>
internal static class Heartbeats
{
    public static void Notify(EventLogStreamOptions? options, Heartbeat heartbeat) =>
        options?.OnHeartbeat?.Invoke(heartbeat.ServerTime?.ToDateTimeOffset() ?? DateTimeOffset.UtcNow);

    public static void NotifyLogStart(EventLogStreamOptions? options, long firstAvailableLine) =>
        options?.OnLogStart?.Invoke(firstAvailableLine);

    public static void NotifyReset(EventLogStreamOptions? options, long oldestAvailable) =>
        options?.OnReset?.Invoke(oldestAvailable);
}
