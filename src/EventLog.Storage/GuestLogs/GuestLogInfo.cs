namespace EventLog.Storage;

/// <summary>A guest log catalog entry and its publish state.</summary>
public sealed record GuestLogInfo
{
    /// <summary>Storage id; the key of the chunk stream (<see cref="StreamKeys.GuestLog"/>).</summary>
    public long Id { get; init; }
    public string InstanceId { get; init; } = "";
    public string LogName { get; init; } = "";
    public string Project { get; init; } = "";
    public GuestLogType LogType { get; init; }
    public GuestLogStatus Status { get; init; }
    public string FileName { get; init; } = "";
    public string Datastore { get; init; } = "";
    /// <summary>Listed for non-admins (the exposure allow-list).</summary>
    public bool Exposed { get; init; }
    /// <summary>Enabling this log needs a datastore restart.</summary>
    public bool RestartRequired { get; init; }
    /// <summary>Bytes stored since the last rotation or discard.</summary>
    public long PublishedBytes { get; init; }
    /// <summary>Bytes on the instance not published yet.</summary>
    public long PendingBytes { get; init; }
    /// <summary>File offset up to which the log is published.</summary>
    public long PublishedOffset { get; init; }
    public string? FirstLineHash { get; init; }
    /// <summary>Number the next published line gets (1 after rotation or discard).</summary>
    public long NextLine { get; init; }
    /// <summary>Incremented by every rotation or discard.</summary>
    public int Generation { get; init; }
    public DateTime UpdatedAt { get; init; }
    /// <summary>When bytes were last published; null while nothing is stored (never published, discarded, rotated).</summary>
    public DateTime? PublishedAt { get; init; }
}
