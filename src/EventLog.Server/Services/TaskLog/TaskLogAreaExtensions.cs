namespace EventLog.Server.Services.TaskLog;

/// <summary>Registers the TaskLog area's services and options.</summary>
public static class TaskLogAreaExtensions
{
    /// <summary>Adds what <see cref="TaskLogGrpcService"/> needs.</summary>
    public static IServiceCollection AddTaskLogArea(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<TaskLogGrpcService>();
        return services;
    }
}
