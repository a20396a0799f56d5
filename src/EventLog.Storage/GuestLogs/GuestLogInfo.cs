namespace EventLog.Storage.GuestLogs;

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
    /// <summary>
    /// Bytes stored: published since the last rotation or discard, less what expired (retention). Equals
    /// <see cref="PublishedOffset"/> - <see cref="FirstAvailableOffset"/>.
    /// </summary>
    public long PublishedBytes { get; init; }
    /// <summary>Bytes on the instance not published yet.</summary>
    public long PendingBytes { get; init; }
    /// <summary>File offset up to which the log is published, expired bytes included: where the next publish starts.</summary>
    public long PublishedOffset { get; init; }
    public string? FirstLineHash { get; init; }
    /// <summary>Number the next published line gets (1 after rotation or discard).</summary>
    public long NextLine { get; init; }
    /// <summary>
    /// Number of the first line still stored: the lines before it expired (retention) and the reaper moved it
    /// past them. 1 while nothing expired (and after a rotation or discard); <see cref="NextLine"/> when every
    /// published line expired. Line numbers never change: line N is the same line before and after expiry.
    /// </summary>
    public long FirstAvailableLine { get; init; } = 1;
    /// <summary>File offset of the first byte still stored (the start of <see cref="FirstAvailableLine"/>); 0 while nothing expired.</summary>
    public long FirstAvailableOffset { get; init; }
    /// <summary>Lines stored: <see cref="FirstAvailableLine"/> to <see cref="NextLine"/> - 1.</summary>
    public long LineCount => Math.Max(0, NextLine - FirstAvailableLine);
    /// <summary>Incremented by every rotation or discard.</summary>
    public int Generation { get; init; }
    public DateTime UpdatedAt { get; init; }
    /// <summary>When bytes were last published; null while nothing is stored (never published, discarded, rotated).</summary>
    public DateTime? PublishedAt { get; init; }
}
