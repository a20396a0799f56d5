using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EventLog.Server.Observability;

/// <summary>Registers per-call logs, metrics and the optional Prometheus listener.</summary>
public static class ObservabilityServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ObservabilityOptions"/> (validated at start) and registers <see cref="EventLogMetrics"/>,
    /// <see cref="CallObservabilityInterceptor"/>, the exporter and its listener.
    /// </summary>
    public static IServiceCollection AddEventLogObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ObservabilityOptions>().Bind(configuration.GetSection(ObservabilityOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ObservabilityOptions>, ObservabilityOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<EventLogMetrics>();
        services.TryAddSingleton<CallObservabilityInterceptor>();
        services.TryAddSingleton<PrometheusExporter>();
        services.TryAddSingleton<MetricsEndpoint>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricsEndpoint>());
        services.AddSingleton<ILoggerProvider, RetentionLogBridge>();
        services.Configure<LoggerFilterOptions>(filters =>
        {
            // The bridge only needs the reaper's event, whatever level the operator chose for log output.
            filters.AddFilter<RetentionLogBridge>(null, LogLevel.None);
            filters.AddFilter<RetentionLogBridge>(RetentionLogBridge.Category, LogLevel.Information);
        });
        return services;
    }
}
