using EventLog.Storage;

namespace EventLog.Server.Services.GuestLogs;

/// <summary>How an agent carried out a command: success with the log after it, or failure with the agent's reason.</summary>
public sealed record CommandOutcome(bool Succeeded, string? ErrorMessage, GuestLogInfo? Log);
