namespace EventLog.Storage.GuestLogs;

/// <summary>The catalog entry after a publish, whether it rotated, and the stream sequences of the new chunks (0, 0 when none).</summary>
public sealed record GuestLogPublishResult(GuestLogInfo Log, bool Rotated, long FirstSequence, long LastSequence);
