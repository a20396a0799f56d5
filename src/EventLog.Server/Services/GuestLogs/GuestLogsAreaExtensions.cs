using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventLog.Server.Services.GuestLogs;

/// <summary>Registers the GuestLogs area's services and options.</summary>
public static class GuestLogsAreaExtensions
{
    /// <summary>
    /// Adds what <see cref="GuestLogsGrpcService"/> needs: its options (section <c>GuestLogs</c>) and the exposure
    /// policy. The agents' command channels are stored (<c>IAgentCommandRepository</c>), shared by every replica.
    /// </summary>
    public static IServiceCollection AddGuestLogsArea(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<GuestLogOptions>().Bind(configuration.GetSection(GuestLogOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GuestLogOptions>, GuestLogOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ExposurePolicy>();
        services.AddSingleton<GuestLogsGrpcService>();
        return services;
    }
}
