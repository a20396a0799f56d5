namespace EventLog.Server.Services.Provisioning;

/// <summary>Implements <c>eventlog.v1.ProvisioningService</c>.</summary>
public sealed partial class ProvisioningGrpcService : EventLog.V1.ProvisioningService.ProvisioningServiceBase
{
}
