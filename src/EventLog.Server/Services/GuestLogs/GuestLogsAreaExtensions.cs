namespace EventLog.Server.Services.GuestLogs;

/// <summary>Registers the GuestLogs area's services and options.</summary>
public static class GuestLogsAreaExtensions
{
    /// <summary>Adds what <see cref="GuestLogsGrpcService"/> needs.</summary>
    public static IServiceCollection AddGuestLogsArea(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<GuestLogsGrpcService>();
        return services;
    }
}
