namespace EventLog.Security.Tests.Infrastructure;

/// <summary>One collected log entry: its message, structured properties and the properties of its scopes.</summary>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> Properties)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Level} {Category}[{EventId.Id}] {Message}{(Exception is null ? "" : " " + Exception)}";
}
