using EventLog.Server.Hosting;
using EventLog.Server.Limits;
using EventLog.Server.Observability;
using EventLog.Server.Rest;
using EventLog.Server.Services.GuestLogs;
using EventLog.Server.Services.Messages;
using EventLog.Server.Services.Provisioning;
using EventLog.Server.Services.TaskLog;
using EventLog.Server.Viewer;

namespace EventLog.Server;

/// <summary>Registers and maps everything the EventLog server runs.</summary>
public static class ServerServiceCollectionExtensions
{
    /// <summary>
    /// grpc-dotnet with its interceptors, auth, limits, observability, storage and the four areas. A service mapped in
    /// <see cref="MapEventLogServices"/> has its call pipeline (auth among it) added here.
    /// </summary>
    public static IServiceCollection AddEventLogServer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddEventLogGrpc(configuration);
        services.AddEventLogCallPipeline<TaskLogGrpcService>();
        services.AddEventLogCallPipeline<MessagesGrpcService>();
        services.AddEventLogCallPipeline<ProvisioningGrpcService>();
        services.AddEventLogCallPipeline<GuestLogsGrpcService>();
        services.AddEventLogRest();
        services.AddEventLogAuth(configuration);
        services.AddEventLogLimits(configuration);
        services.AddEventLogObservability(configuration);
        services.AddEventLogStorage(configuration);
        services.AddHostedService<StartupAnnouncer>();
        services.AddTaskLogArea(configuration);
        services.AddMessagesArea(configuration);
        services.AddProvisioningArea(configuration);
        services.AddGuestLogsArea(configuration);
        return services;
    }

    /// <summary>
    /// Maps the four EventLog services (gRPC and HTTP/JSON), health (gRPC and HTTP probes), reflection, the OpenAPI
    /// document, the Prometheus endpoint and the browser viewer.
    /// </summary>
    public static WebApplication MapEventLogServices(this WebApplication app)
    {
        app.MapGrpcService<TaskLogGrpcService>();
        app.MapGrpcService<MessagesGrpcService>();
        app.MapGrpcService<ProvisioningGrpcService>();
        app.MapGrpcService<GuestLogsGrpcService>();
        app.MapEventLogGrpcInfrastructure();
        // What only HTTP/1.1 and JSON requests need: gRPC calls skip the whole branch.
        app.UseWhen(http => !GrpcRequests.Is(http.Request), web => web.UseEventLogRest().UseEventLogViewer());
        app.MapEventLogObservability();
        app.MapEventLogViewer();
        return app;
    }
}
