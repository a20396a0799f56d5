using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EventLog.Server.Observability;

/// <summary>Registers per-call logs, metrics and traces (OpenTelemetry), and maps the Prometheus endpoint.</summary>
public static class ObservabilityServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ObservabilityOptions"/> (validated at start), registers <see cref="EventLogMetrics"/> and
    /// <see cref="CallObservabilityInterceptor"/>, and OpenTelemetry as the settings ask: metrics of
    /// <see cref="ObservabilityOptions.Meters"/> for Prometheus and OTLP, spans of the calls and of the storage for OTLP
    /// (or for an exporter the host adds with <c>AddOpenTelemetry().WithTracing(...)</c>).
    /// </summary>
    public static IServiceCollection AddEventLogObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ObservabilityOptions>().Bind(configuration.GetSection(ObservabilityOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ObservabilityOptions>, ObservabilityOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<EventLogMetrics>();
        services.TryAddSingleton<CallObservabilityInterceptor>();

        // What is exported is decided here, once: OpenTelemetry's providers are built from these registrations.
        var settings = Read(configuration);
        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(settings.ServiceName));
        if (settings.EnableMetrics)
        {
            telemetry.WithMetrics(metrics => AddMetrics(metrics, settings));
        }
        if (settings.EnableTracing)
        {
            // Spans are recorded only where they go somewhere: the OTLP collector, or an exporter the host adds itself
            // (services.AddOpenTelemetry().WithTracing(...)). Without one no tracer provider exists and nothing is spent.
            services.ConfigureOpenTelemetryTracerProvider(tracing => AddTracing(tracing, settings));
            if (settings.OtlpEndpoint is { } endpoint)
            {
                telemetry.WithTracing(tracing => tracing.AddOtlpExporter(otlp => Point(otlp, endpoint, settings.OtlpProtocol, "v1/traces")));
            }
        }
        return services;
    }

    /// <summary>Maps the Prometheus scrape endpoint on <see cref="ObservabilityOptions.MetricsPath"/> when metrics are on.</summary>
    public static WebApplication MapEventLogObservability(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = Read(app.Configuration);
        if (ServesPrometheus(settings))
        {
            app.MapPrometheusScrapingEndpoint(settings.MetricsPath);
        }
        return app;
    }

    private static ObservabilityOptions Read(IConfiguration configuration) =>
        configuration.GetSection(ObservabilityOptions.SectionName).Get<ObservabilityOptions>() ?? new ObservabilityOptions();

    private static bool ServesPrometheus(ObservabilityOptions settings) => settings.EnableMetrics && !string.IsNullOrEmpty(settings.MetricsPath);

    private static void AddMetrics(MeterProviderBuilder metrics, ObservabilityOptions settings)
    {
        metrics.AddMeter([.. settings.Meters.Count > 0 ? settings.Meters : (IEnumerable<string>)ObservabilityOptions.DefaultMeters]);
        if (ServesPrometheus(settings))
        {
            metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeEndpointPath = settings.MetricsPath);
        }
        if (settings.OtlpEndpoint is { } endpoint)
        {
            metrics.AddOtlpExporter(otlp => Point(otlp, endpoint, settings.OtlpProtocol, "v1/metrics"));
        }
    }

    private static void AddTracing(TracerProviderBuilder tracing, ObservabilityOptions settings)
    {
        // A ratio out of range (or NaN) is left to the options validation to report, rather than thrown here.
        tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(settings.TraceSampleRatio is >= 0 and <= 1 ? settings.TraceSampleRatio : 1)));
        tracing.AddSource(StorageTelemetry.ActivitySourceName);
        tracing.AddAspNetCoreInstrumentation(aspNetCore =>
        {
            // Probes and scrapes come every few seconds and say nothing about the calls.
            aspNetCore.Filter = http => http.Request.Path.Value is not { } path || !(ProbeMethods.IsProbePath(path) || path == settings.MetricsPath);
            aspNetCore.EnrichWithHttpResponse = (span, _) => CallSpan.Rename(span);
        });
    }

    /// <summary>Points an OTLP exporter at the collector; over HTTP an endpoint given in code must name the signal's path.</summary>
    private static void Point(OtlpExporterOptions otlp, Uri endpoint, OtlpExportProtocol protocol, string signalPath)
    {
        otlp.Protocol = protocol;
        otlp.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath) : endpoint;
    }
}
