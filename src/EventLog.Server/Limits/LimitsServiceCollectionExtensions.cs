using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventLog.Server.Limits;

/// <summary>Registers the per-principal limits.</summary>
public static class LimitsServiceCollectionExtensions
{
    /// <summary>Binds <see cref="LimitsOptions"/> (validated at start) and registers the limiters and <see cref="LimitsInterceptor"/>.</summary>
    public static IServiceCollection AddEventLogLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LimitsOptions>().Bind(configuration.GetSection(LimitsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StreamLimiter>();
        services.TryAddSingleton<WriteRateLimiter>();
        services.TryAddSingleton<LimitsInterceptor>();
        return services;
    }
}
