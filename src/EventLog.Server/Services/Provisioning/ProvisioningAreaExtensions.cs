namespace EventLog.Server.Services.Provisioning;

/// <summary>Registers the Provisioning area's services and options.</summary>
public static class ProvisioningAreaExtensions
{
    /// <summary>Adds what <see cref="ProvisioningGrpcService"/> needs.</summary>
    public static IServiceCollection AddProvisioningArea(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<ProvisioningGrpcService>();
        return services;
    }
}
