namespace EventLog.Storage.Messages;

/// <summary>Filters of a message list (newest first). Null = not filtered; Project null = all projects (admin).</summary>
public sealed record MessageFilter
{
    public string? Project { get; init; }
    public string? ResourceType { get; init; }
    public string? ResourceUuid { get; init; }
    public string? ActionCode { get; init; }
    public string? DetailCode { get; init; }
    public string? RequestId { get; init; }
    public MessageLevel? Level { get; init; }
    /// <summary>Reported by this host or node.</summary>
    public string? Host { get; init; }
    /// <summary>Caused by this user.</summary>
    public string? UserName { get; init; }
    /// <summary>Created at or after (inclusive).</summary>
    public DateTime? From { get; init; }
    /// <summary>Created before (exclusive).</summary>
    public DateTime? To { get; init; }
}
