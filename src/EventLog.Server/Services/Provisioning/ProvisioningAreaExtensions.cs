using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventLog.Server.Services.Provisioning;

/// <summary>Registers the Provisioning area's services and options.</summary>
public static class ProvisioningAreaExtensions
{
    /// <summary>Adds what <see cref="ProvisioningGrpcService"/> needs: its options (section <c>Provisioning</c>) and the shared progress feeds of watched clusters.</summary>
    public static IServiceCollection AddProvisioningArea(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ProvisioningOptions>().Bind(configuration.GetSection(ProvisioningOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProvisioningOptions>, ProvisioningOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ProgressFeeds>();
        services.AddSingleton<ProvisioningGrpcService>();
        return services;
    }
}
