namespace EventLog.Server.Services.Messages;

/// <summary>Implements <c>eventlog.v1.MessagesService</c>.</summary>
public sealed partial class MessagesGrpcService : EventLog.V1.MessagesService.MessagesServiceBase
{
}
