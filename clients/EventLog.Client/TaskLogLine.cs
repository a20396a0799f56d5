namespace EventLog.Client;

/// <summary>One line of a task's log.</summary>
/// <param name="Number">The line's 1-based number in the task's log.</param>
/// <param name="Text">The line, without its trailing newline.</param>
public readonly record struct TaskLogLine(long Number, string Text);
