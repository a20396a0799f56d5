using EventLog.Server.Catalog;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventLog.Server.Services.TaskLog;

/// <summary>Registers the TaskLog area's services and options.</summary>
public static class TaskLogAreaExtensions
{
    /// <summary>Adds what <see cref="TaskLogGrpcService"/> needs: its options (section <c>TaskLog</c>) and the message catalog.</summary>
    public static IServiceCollection AddTaskLogArea(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<TaskLogOptions>().Bind(configuration.GetSection(TaskLogOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TaskLogOptions>, TaskLogOptionsValidator>());
        services.AddMessageCatalog(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TaskLogGrpcService>();
        return services;
    }
}
