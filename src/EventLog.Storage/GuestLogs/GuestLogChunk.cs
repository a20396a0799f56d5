namespace EventLog.Storage.GuestLogs;

/// <summary>A stored, line-aligned piece of a guest log.</summary>
public sealed record GuestLogChunk
{
    public long Id { get; init; }
    public long LogId { get; init; }
    /// <summary>Position in the log's chunk stream; never reused, also across rotations.</summary>
    public long Seq { get; init; }
    public int Generation { get; init; }
    public long FirstLine { get; init; }
    public int LineCount { get; init; }
    public long ByteLength { get; init; }
    public byte[] Content { get; init; } = [];
    public DateTime CreatedAt { get; init; }
    public DateTime? ExpiresAt { get; init; }
}
