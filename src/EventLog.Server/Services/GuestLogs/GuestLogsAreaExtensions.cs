using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EventLog.Server.Services.GuestLogs;

/// <summary>Registers the GuestLogs area's services and options.</summary>
public static class GuestLogsAreaExtensions
{
    /// <summary>
    /// Adds what <see cref="GuestLogsGrpcService"/> needs: its options (section <c>GuestLogs</c>), the exposure
    /// policy and the in-memory registry of agent command channels.
    /// </summary>
    public static IServiceCollection AddGuestLogsArea(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<GuestLogOptions>().Bind(configuration.GetSection(GuestLogOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GuestLogOptions>, GuestLogOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ExposurePolicy>();
        services.AddSingleton<AgentCommandRegistry>();
        services.AddSingleton<GuestLogsGrpcService>();
        return services;
    }
}
