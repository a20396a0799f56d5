using Microsoft.Extensions.Options;

namespace EventLog.Server.Auth;

/// <summary>Registers authentication.</summary>
public static class AuthServiceCollectionExtensions
{
    /// <summary>Binds <see cref="AuthOptions"/> (validated at start) and registers the token store and interceptor.</summary>
    public static IServiceCollection AddEventLogAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<TokenStore>();
        services.AddSingleton<AuthInterceptor>();
        return services;
    }
}
