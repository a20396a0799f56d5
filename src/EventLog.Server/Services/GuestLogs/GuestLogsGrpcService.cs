namespace EventLog.Server.Services.GuestLogs;

/// <summary>Implements <c>eventlog.v1.GuestLogsService</c>.</summary>
public sealed partial class GuestLogsGrpcService : EventLog.V1.GuestLogsService.GuestLogsServiceBase
{
}
