namespace EventLog.Server.Services.Messages;

/// <summary>Registers the Messages area's services and options.</summary>
public static class MessagesAreaExtensions
{
    /// <summary>Adds what <see cref="MessagesGrpcService"/> needs.</summary>
    public static IServiceCollection AddMessagesArea(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<MessagesGrpcService>();
        return services;
    }
}
