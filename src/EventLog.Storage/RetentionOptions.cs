namespace EventLog.Storage;

/// <summary>
/// Retention settings (section <c>Storage:Retention</c>). A period of zero or less disables
/// that area's retention; <see cref="Enabled"/> = false disables every reaper.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>Run the background reapers at all. Default <c>true</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often each reaper wakes. Default 5 minutes.</summary>
    public TimeSpan ReapInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Maximum rows each reaper deletes per <see cref="ReapInterval"/> (a cap, not a round size: a larger backlog
    /// waits for the next intervals), so retention never locks a table for long. Default 1000.
    /// </summary>
    public int ReapBatchSize { get; set; } = 1000;

    /// <summary>Lifetime of a user message (its <c>expires_at</c> is set at creation). Default 30 days; zero or less keeps messages forever.</summary>
    public TimeSpan MessageTtl { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Finished tasks (and their log lines) older than this are deleted. Default 30 days; zero or less disables.</summary>
    public TimeSpan TaskRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Request log entries older than this are deleted. Default 90 days; zero or less disables.</summary>
    public TimeSpan RequestLogRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Lifetime of a published guest log chunk (Trove's <c>guest_log_expiry</c>). Default 30 days; zero or less keeps chunks forever.</summary>
    public TimeSpan GuestLogChunkExpiry { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Per-instance events of a successfully finished provisioning step are compacted this long after it finished. Default 1 hour; zero or less disables compaction.</summary>
    public TimeSpan ProvisioningCompactionDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long an idempotency record (client request id and its result) is kept. Default 1 day; zero or less keeps them forever.</summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromDays(1);
}
