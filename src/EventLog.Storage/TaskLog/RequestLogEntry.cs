namespace EventLog.Storage.TaskLog;

/// <summary>A stored user request log entry (or a TASK lifecycle entry). Params are JSON objects.</summary>
public sealed record RequestLogEntry
{
    public long Id { get; init; }
    public string Project { get; init; } = "";
    public DateTime OccurredAt { get; init; }
    public string Zone { get; init; } = "";
    /// <summary>HTTP method, or <c>TASK</c> for task lifecycle entries.</summary>
    public string Kind { get; init; } = "";
    public string UserName { get; init; } = "";
    public string ClientIp { get; init; } = "";
    public int Status { get; init; }
    public string App { get; init; } = "";
    public string MessageCode { get; init; } = "";
    public string MessageParams { get; init; } = "{}";
    public string? DetailCode { get; init; }
    public string? DetailParams { get; init; }
    public string? RequestId { get; init; }
    /// <summary>The task this request spawned, or the task a TASK entry is about.</summary>
    public long? TaskId { get; init; }
    /// <summary>Node (host) that served the request; null when not reported.</summary>
    public string? Node { get; init; }
    /// <summary>Final outcome, computed when the entry is read (follows the spawned task).</summary>
    public RequestOutcome Outcome { get; init; }
}
