using EventLog.Server.Catalog;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventLog.Server.Services.Messages;

/// <summary>Registers the Messages area's services and options.</summary>
public static class MessagesAreaExtensions
{
    /// <summary>Adds what <see cref="MessagesGrpcService"/> needs: its options (section <c>Messages</c>) and the message catalog.</summary>
    public static IServiceCollection AddMessagesArea(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MessagesOptions>()
            .Bind(configuration.GetSection(MessagesOptions.SectionName))
            .Validate(o => o.HeartbeatInterval > TimeSpan.Zero, "Messages:HeartbeatInterval must be positive.")
            .Validate(o => o.WatchBatchSize > 0, "Messages:WatchBatchSize must be positive.")
            .Validate(o => o.WatchLinger >= TimeSpan.Zero && o.WatchLinger <= TimeSpan.FromSeconds(1), "Messages:WatchLinger must be between 0 and 1 second.")
            .ValidateOnStart();
        services.AddMessageCatalog(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MessagesGrpcService>();
        return services;
    }
}
