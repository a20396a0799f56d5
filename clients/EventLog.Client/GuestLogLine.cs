namespace EventLog.Client;

/// <summary>One line of a published guest log.</summary>
/// <param name="Number">The line's 1-based number in the published log.</param>
/// <param name="Text">The line, without its trailing newline.</param>
/// <param name="AfterReset">
/// True on the first line after the log was rotated or discarded (numbering restarted) or older lines
/// expired; the lines before it are not continued by this one.
/// </param>
public readonly record struct GuestLogLine(long Number, string Text, bool AfterReset = false);
