namespace EventLog.Storage.Messages;

/// <summary>Severity of a user message (Cinder's message levels).</summary>
public enum MessageLevel
{
    /// <summary>Informational.</summary>
    Info = 1,
    /// <summary>Warning.</summary>
    Warning = 2,
    /// <summary>Error.</summary>
    Error = 3,
}
