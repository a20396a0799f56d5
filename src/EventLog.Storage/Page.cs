namespace EventLog.Storage;

/// <summary>One page of a list. <see cref="NextPageToken"/> is null only on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextPageToken);
