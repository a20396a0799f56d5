using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventLog.Server.Catalog;

/// <summary>Registers the message catalog shared by the TaskLog and Messages areas.</summary>
public static class CatalogServiceCollectionExtensions
{
    /// <summary>Binds <see cref="CatalogOptions"/> (validated at startup) and adds the <see cref="MessageCatalog"/> singleton. Safe to call twice.</summary>
    public static IServiceCollection AddMessageCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(MessageCatalog)))
        {
            return services;
        }

        services.AddOptions<CatalogOptions>()
            .Bind(configuration.GetSection(CatalogOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CatalogOptions>, CatalogOptionsValidator>());
        services.TryAddSingleton(sp => new MessageCatalog(sp.GetRequiredService<IOptions<CatalogOptions>>().Value));
        return services;
    }
}
