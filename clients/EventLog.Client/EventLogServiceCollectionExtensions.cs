using EventLog.V1;
using Grpc.Core;
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

    /// <summary>
    /// Registers the four generated gRPC clients (<see cref="TaskLogService.TaskLogServiceClient"/>,
    /// <see cref="MessagesService.MessagesServiceClient"/>, <see cref="ProvisioningService.ProvisioningServiceClient"/>,
    /// <see cref="GuestLogsService.GuestLogsServiceClient"/>) with Grpc.Net.ClientFactory, for code that calls the
    /// stubs directly: each gets <see cref="EventLogClientOptions.Address"/>, the token as call credentials (also
    /// over <c>http://</c>) and the message size limits. The SDK's retries and resumable streams are not applied;
    /// use <see cref="AddEventLogClient(IServiceCollection, Action{EventLogClientOptions})"/> for those.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddEventLogGrpcClients(this IServiceCollection services, Action<EventLogClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new EventLogClientOptions();
        configure(options);
        options.Validate();
        Register<TaskLogService.TaskLogServiceClient>(services, options);
        Register<MessagesService.MessagesServiceClient>(services, options);
        Register<ProvisioningService.ProvisioningServiceClient>(services, options);
        Register<GuestLogsService.GuestLogsServiceClient>(services, options);
        return services;
    }

    private static void Register<TClient>(IServiceCollection services, EventLogClientOptions options)
        where TClient : class
    {
        var token = options.Token;
        var builder = services.AddGrpcClient<TClient>(o => o.Address = options.Address).ConfigureChannel(channel =>
        {
            channel.MaxReceiveMessageSize = options.MaxReceiveMessageSize;
            channel.MaxSendMessageSize = options.MaxSendMessageSize;
            channel.UnsafeUseInsecureChannelCallCredentials = options.Address.Scheme == Uri.UriSchemeHttp;
        });
        if (!string.IsNullOrEmpty(token))
        {
            builder.AddCallCredentials((_, metadata) =>
            {
                metadata.Add("authorization", "Bearer " + token);
                return Task.CompletedTask;
            });
        }
    }
}
