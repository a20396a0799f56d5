namespace EventLog.Storage.Messages;

/// <summary>A stored user-facing message. Text is rendered from <see cref="ActionCode"/>/<see cref="DetailCode"/> at read time.</summary>
public sealed record UserMessage
{
    public Guid Id { get; init; }
    public string Project { get; init; } = "";
    /// <summary>Position in the project's message stream (<see cref="StreamKeys.Messages"/>).</summary>
    public long Seq { get; init; }
    public string? RequestId { get; init; }
    public string ActionCode { get; init; } = "";
    public string DetailCode { get; init; } = "";
    public MessageLevel Level { get; init; }
    public string? ResourceType { get; init; }
    public string? ResourceUuid { get; init; }
    public string? Host { get; init; }
    /// <summary>The user whose request caused the message; null when not recorded.</summary>
    public string? UserName { get; init; }
    public DateTime CreatedAt { get; init; }
    /// <summary>When the reaper may delete it; null = kept forever.</summary>
    public DateTime? ExpiresAt { get; init; }
}
