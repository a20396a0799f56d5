using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EventLog.Client;

/// <summary>Registers the EventLog client in a service collection.</summary>
public static class EventLogServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="EventLogClient"/> (and its four area clients) whose
    /// <see cref="EventLogClientOptions"/> are bound to <paramref name="configuration"/>, typically
    /// <c>builder.Configuration.GetSection("EventLog")</c> holding <c>Address</c>, <c>Token</c>,
    /// <c>DefaultDeadline</c>, <c>Retry:MaxAttempts</c>...
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section to bind.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddEventLogClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddEventLogClient(options => configuration.Bind(options));
    }

    /// <summary>Registers a singleton <see cref="EventLogClient"/> configured in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddEventLogClient(this IServiceCollection services, Action<EventLogClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<EventLogClientOptions>().Configure(configure).Validate(options =>
        {
            try
            {
                options.Validate();
                return true;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }, "EventLog client options are invalid: Address must be an absolute http(s) URI, DefaultDeadline positive, Retry:MaxAttempts at least 1.");
        services.TryAddSingleton(sp => new EventLogClient(sp.GetRequiredService<IOptions<EventLogClientOptions>>().Value));
        services.TryAddSingleton(sp => sp.GetRequiredService<EventLogClient>().Tasks);
        services.TryAddSingleton(sp => sp.GetRequiredService<EventLogClient>().Messages);
        services.TryAddSingleton(sp => sp.GetRequiredService<EventLogClient>().Provisioning);
        services.TryAddSingleton(sp => sp.GetRequiredService<EventLogClient>().GuestLogs);
        return services;
    }
}
