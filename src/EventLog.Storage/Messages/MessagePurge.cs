namespace EventLog.Storage.Messages;

/// <summary>Which messages an admin purge deletes: those created before <see cref="CreatedBefore"/>, or expired at <see cref="ExpiredAt"/>, or either.</summary>
public sealed record MessagePurge
{
    /// <summary>The project purged; null = every project.</summary>
    public string? Project { get; init; }

    /// <summary>Delete messages created before this time (exclusive); null = not by age.</summary>
    public DateTime? CreatedBefore { get; init; }

    /// <summary>Delete messages whose expiry is before this time; null = not by expiry.</summary>
    public DateTime? ExpiredAt { get; init; }
}
