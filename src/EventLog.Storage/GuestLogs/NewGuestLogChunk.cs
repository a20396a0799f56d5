namespace EventLog.Storage.GuestLogs;

/// <summary>A chunk to publish: whole lines (UTF-8 bytes) and how many lines they hold.</summary>
public sealed record NewGuestLogChunk(byte[] Content, int LineCount);
