namespace EventLog.Storage.TaskLog;

/// <summary>The line numbers (stream sequences) an append was given, inclusive.</summary>
public sealed record LineRange(long First, long Last);
