namespace EventLog.Storage.GuestLogs;

/// <summary>What a stored agent command asks the guest agent to do (values as in the GuestLogs protocol).</summary>
public enum AgentCommandType
{
    /// <summary>Start writing the log.</summary>
    Enable = 1,

    /// <summary>Stop writing the log.</summary>
    Disable = 2,

    /// <summary>Upload the bytes after the last published offset.</summary>
    Publish = 3,

    /// <summary>Forget the published offset: the stored chunks were deleted.</summary>
    Discard = 4,
}
