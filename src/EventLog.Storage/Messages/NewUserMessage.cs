namespace EventLog.Storage.Messages;

/// <summary>A message to create. Codes must already be validated against the catalog by the service.</summary>
public sealed record NewUserMessage
{
    public required string Project { get; init; }
    public string? RequestId { get; init; }
    public required string ActionCode { get; init; }
    public required string DetailCode { get; init; }
    public MessageLevel Level { get; init; } = MessageLevel.Error;
    public string? ResourceType { get; init; }
    public string? ResourceUuid { get; init; }
    public string? Host { get; init; }
    /// <summary>The user whose request caused the message.</summary>
    public string? UserName { get; init; }
    /// <summary>Overrides <see cref="RetentionOptions.MessageTtl"/> for this message.</summary>
    public TimeSpan? Ttl { get; init; }
    /// <summary>Client idempotency key: a retry returns the first message and stores nothing.</summary>
    public string? IdempotencyKey { get; init; }
}
