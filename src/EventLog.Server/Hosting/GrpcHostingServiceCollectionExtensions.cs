using EventLog.Server.Limits;
using EventLog.Server.Observability;
using EventLog.Server.Rest;
using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventLog.Server.Hosting;

/// <summary>grpc-dotnet as EventLog runs it: interceptors, limits, health and reflection.</summary>
public static class GrpcHostingServiceCollectionExtensions
{
    /// <summary>The health check that reads the store; <c>Check("")</c> is NOT_SERVING and the readiness probe 503 while it fails.</summary>
    public const string StorageCheckName = "storage";

    /// <summary>The tag of the health checks the readiness probe runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Adds grpc-dotnet with the settings of <see cref="GrpcHostOptions"/>, health and reflection. No interceptor runs
    /// on every call: each EventLog service adds its pipeline with <see cref="AddEventLogCallPipeline{TService}"/>, and
    /// health and reflection run call lifetimes alone (<see cref="ProbeServiceTypes"/>). Each interceptor is a
    /// singleton (grpc-dotnet would create one per call otherwise).
    /// </summary>
    public static IServiceCollection AddEventLogGrpc(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GrpcHostOptions>().Bind(configuration.GetSection(GrpcHostOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GrpcHostOptions>, GrpcHostOptionsValidator>());
        services.TryAddSingleton<StreamLifetimeInterceptor>();
        services.TryAddSingleton<StorageErrorInterceptor>();
        services.TryAddSingleton<TranscodedCallInterceptor>();
        services.AddGrpc();
        services.AddOptions<Grpc.AspNetCore.Server.GrpcServiceOptions>().Configure<IOptions<GrpcHostOptions>>((grpc, host) =>
        {
            var settings = host.Value;
            grpc.MaxReceiveMessageSize = settings.MaxReceiveMessageSize;
            grpc.MaxSendMessageSize = settings.MaxSendMessageSize;
            grpc.ResponseCompressionAlgorithm = string.IsNullOrEmpty(settings.ResponseCompression) ? null : settings.ResponseCompression;
            grpc.EnableDetailedErrors = settings.EnableDetailedErrors;
            grpc.CompressionProviders =
            [
                new CheckedCompressionProvider(new Grpc.Net.Compression.GzipCompressionProvider(System.IO.Compression.CompressionLevel.Fastest)),
                new CheckedCompressionProvider(new Grpc.Net.Compression.DeflateCompressionProvider(System.IO.Compression.CompressionLevel.Fastest)),
            ];
        });
        UseStrictBinder(services);
        services.AddGrpcReflection();
        // One instance: AddCheck would make a check per call otherwise, and the probe it shares would be lost.
        services.TryAddSingleton<StorageHealthCheck>();
        services.AddGrpcHealthChecks().AddCheck<StorageHealthCheck>(StorageCheckName, tags: [ReadyTag]);
        return services;
    }

    /// <summary>
    /// The services of health and reflection. They run call lifetimes alone (deadlines, shutdown: a health Watch or a
    /// reflection stream must end when the host stops), bound with their handlers by <see cref="ServiceMethodProvider{TService}"/>
    /// rather than as an interceptor, which grpc-dotnet would resolve and run on every call. They are open, unlimited,
    /// touch no repository and are not logged per call, and load balancers call them often, so they skip the rest of the
    /// pipeline; a probe that cannot be answered shows in its caller's result. grpc-dotnet's health service type is
    /// internal, so it is found by name; <c>CallPipelineTests</c> fails if a new version renames it.
    /// </summary>
    internal static IReadOnlyList<Type> ProbeServiceTypes { get; } =
    [
        typeof(Grpc.AspNetCore.HealthChecks.GrpcHealthChecksOptions).Assembly.GetType("Grpc.AspNetCore.HealthChecks.Internal.HealthServiceIntegration", throwOnError: true)!,
        typeof(Grpc.Reflection.ReflectionServiceImpl),
        typeof(Grpc.Reflection.ReflectionV1ServiceImpl),
    ];

    /// <summary>
    /// The interceptors of an EventLog service, outermost first: per-call logs, metrics and spans, call lifetimes (deadlines, shutdown),
    /// HTTP/JSON adaptation, auth, limits, storage errors. HTTP/JSON calls run them too, <see cref="TranscodedCallInterceptor"/>
    /// adapting the call first.
    /// </summary>
    public static IServiceCollection AddEventLogCallPipeline<TService>(this IServiceCollection services)
        where TService : class
    {
        services.AddGrpc().AddServiceOptions<TService>(grpc =>
        {
            grpc.Interceptors.Add<CallObservabilityInterceptor>();
            grpc.Interceptors.Add<StreamLifetimeInterceptor>();
            grpc.Interceptors.Add<TranscodedCallInterceptor>();
            grpc.Interceptors.Add<AuthInterceptor>();
            grpc.Interceptors.Add<LimitsInterceptor>();
            grpc.Interceptors.Add<StorageErrorInterceptor>();
        });
        UseStrictBinder(services);
        return services;
    }

    /// <summary>
    /// Makes our binder replace grpc-dotnet's: the same methods, with requests that fail to parse answered INTERNAL.
    /// Every <c>AddGrpc()</c> adds grpc-dotnet's binder back when it is missing, so whoever calls it again (the JSON
    /// transcoding registration) calls this after it.
    /// </summary>
    internal static void UseStrictBinder(IServiceCollection services)
    {
        var binder = services.Where(d => d.ServiceType == typeof(IServiceMethodProvider<>) && d.ImplementationType?.Name.StartsWith("BinderServiceMethodProvider", StringComparison.Ordinal) == true).ToList();
        binder.ForEach(d => services.Remove(d));
        services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IServiceMethodProvider<>), typeof(ServiceMethodProvider<>)));
    }

    /// <summary>
    /// Maps health (<c>grpc.health.v1.Health</c>, and the same checks for HTTP probes on <see cref="ProbeMethods.LivenessPath"/>
    /// and <see cref="ProbeMethods.ReadinessPath"/>) and reflection (<c>v1</c> and <c>v1alpha</c>). The HTTP probes are plain
    /// endpoints of the app: every listener serves them, the h2c gRPC one included.
    /// </summary>
    public static WebApplication MapEventLogGrpcInfrastructure(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<MalformedRequestMiddleware>();
        app.MapGrpcHealthChecksService();
        // Live runs no check: a process that answers is alive, and restarting it would not bring the store back.
        app.MapHealthChecks(ProbeMethods.LivenessPath, new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks(ProbeMethods.ReadinessPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.MapGrpcReflectionService();
        return app;
    }
}
