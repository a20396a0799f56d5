
namespace EventLog.Server.Auth;

/// <summary>Registers authentication.</summary>
public static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="AuthOptions"/> (validated at start; the mode defaults to the host environment's) and registers
    /// the token store and interceptor.
    /// </summary>
    public static IServiceCollection AddEventLogAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName))
            .PostConfigure<IHostEnvironment>((options, environment) => options.Mode ??= environment.IsDevelopment() ? AuthMode.Development : AuthMode.Production)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<TokenStore>();
        services.AddSingleton<AuthInterceptor>();
        return services;
    }
}
