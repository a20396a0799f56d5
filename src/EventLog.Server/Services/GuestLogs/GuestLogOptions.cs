namespace EventLog.Server.Services.GuestLogs;

/// <summary>
/// GuestLogs service settings, bound from the <c>GuestLogs</c> configuration section. Chunk expiry (Trove's
/// <c>guest_log_expiry</c>) is a retention setting: <c>Storage:Retention:GuestLogChunkExpiry</c>.
/// </summary>
public sealed class GuestLogOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "GuestLogs";

    /// <summary>Largest stored chunk, in bytes (Trove's <c>guest_log_limit</c>); chunks end at a line break. Default 64 KiB.</summary>
    public int ChunkLimitBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Longest line kept whole, in bytes: a line longer than <see cref="ChunkLimitBytes"/> gets a chunk of its own
    /// up to this size; a longer one is split there (and counts as two lines). Default 1 MiB.
    /// </summary>
    public int MaxLineBytes { get; set; } = 1024 * 1024;

    /// <summary>Bytes an upload stores per transaction, so a huge upload never holds one long write. Default 4 MiB.</summary>
    public int PublishBatchBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Exposure allow-list per datastore (Trove's <c>guest_log_exposed_logs</c>): datastore name to the log names
    /// non-admins may see; <c>ALL</c> exposes every log, the datastore <c>*</c> applies to datastores not listed.
    /// A datastore with no entry uses what its agent declared. Default: empty.
    /// </summary>
    public Dictionary<string, List<string>> ExposedLogs { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long PublishLog waits for the agent when the call has no (or a later) deadline. Default 60 seconds.</summary>
    public TimeSpan PublishWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an enable, disable or discard command waits for an agent to take it. Default 1 hour.</summary>
    public TimeSpan CommandTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Most commands pending for one instance; more is RESOURCE_EXHAUSTED. Default 100.</summary>
    public int MaxPendingCommands { get; set; } = 100;

    /// <summary>
    /// Idle time after which AgentCommands and a followed TailLog send a heartbeat. Default 15 seconds. An agent's
    /// channel renews its stored lease at least this often, and counts as connected on every replica until three
    /// of these intervals pass without a renewal (its replica died).
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Chunks read from storage per round of TailLog and SaveLog. Default 16.</summary>
    public int ReadBatchChunks { get; set; } = 16;
}
