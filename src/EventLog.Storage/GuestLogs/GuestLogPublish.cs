namespace EventLog.Storage.GuestLogs;

/// <summary>
/// An incremental publish. <see cref="FileOffset"/> is where <see cref="Chunks"/> start in the file and must
/// equal the stored published offset (0 after a rotation). A changed <see cref="FirstLineHash"/>, a file
/// smaller than the published offset, or <see cref="Rotated"/> = true discards what was published first.
/// </summary>
public sealed record GuestLogPublish
{
    public required string InstanceId { get; init; }
    public required string LogName { get; init; }
    public long FileOffset { get; init; }
    /// <summary>Current size of the file; what remains after these chunks is reported as pending.</summary>
    public long FileSize { get; init; }
    public string? FirstLineHash { get; init; }
    public bool Rotated { get; init; }
    public IReadOnlyList<NewGuestLogChunk> Chunks { get; init; } = [];
    public string? IdempotencyKey { get; init; }
}
