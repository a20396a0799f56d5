namespace EventLog.Storage.TaskLog;

/// <summary>A request log entry to record. Secret-looking params must already be scrubbed by the caller.</summary>
public sealed record NewRequestLogEntry
{
    public required string Project { get; init; }
    /// <summary>When the request happened; null = now.</summary>
    public DateTime? OccurredAt { get; init; }
    public string Zone { get; init; } = "UTC";
    public required string Kind { get; init; }
    public string UserName { get; init; } = "";
    public string ClientIp { get; init; } = "";
    public int Status { get; init; }
    public required string App { get; init; }
    public required string MessageCode { get; init; }
    public string MessageParams { get; init; } = "{}";
    public string? DetailCode { get; init; }
    public string? DetailParams { get; init; }
    public string? RequestId { get; init; }
    public long? TaskId { get; init; }
    /// <summary>Node (host) that served the request; null when not reported.</summary>
    public string? Node { get; init; }
    /// <summary>Client idempotency key: a retry with the same key returns the first entry and stores nothing.</summary>
    public string? IdempotencyKey { get; init; }
}
