namespace EventLog.Server.Services.TaskLog;

/// <summary>Implements <c>eventlog.v1.TaskLogService</c>.</summary>
public sealed partial class TaskLogGrpcService : EventLog.V1.TaskLogService.TaskLogServiceBase
{
}
