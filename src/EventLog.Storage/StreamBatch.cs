namespace EventLog.Storage;

/// <summary>
/// Rows of a stream read by cursor. <see cref="OldestAvailableSequence"/> is the first sequence still
/// stored (0 when the stream is empty): when it is greater than the requested position + 1, retention
/// removed rows the reader asked for and the reader should say so rather than skip silently.
/// </summary>
public sealed record StreamBatch<T>(IReadOnlyList<T> Items, long OldestAvailableSequence);
