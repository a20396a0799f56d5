namespace EventLog.Storage.GuestLogs;

/// <summary>A command to queue for an instance's guest agent.</summary>
public sealed record NewAgentCommand(string InstanceId, AgentCommandType CommandType, string LogName, DateTime ExpiresAt);
