using EventLog.Storage.Core;
using EventLog.Storage.GuestLogs;
using EventLog.Storage.Messages;
using EventLog.Storage.PostgreSql;
using EventLog.Storage.Provisioning;
using EventLog.Storage.SqlServer;
using EventLog.Storage.Sqlite;
using EventLog.Storage.TaskLog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventLog.Storage;

/// <summary>Registers EventLog storage.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the options (section <c>Storage</c>, validated at startup), the database, the
    /// repositories, <see cref="IChangeNotifier"/>, <see cref="IStorageMigrator"/>, the startup migration
    /// runner, the retention reapers and the storage meter (<c>EventLog.Storage</c>, on the host's <c>IMeterFactory</c>).
    /// </summary>
    public static IServiceCollection AddEventLogStorage(this IServiceCollection services, IConfiguration configuration, Action<StorageOptions>? configure = null)
    {
        var builder = services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName));
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CommitSignals>();
        services.AddMetrics();
        services.TryAddSingleton<StorageMetrics>();
        services.TryAddSingleton<StorageDatabase>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var signals = sp.GetRequiredService<CommitSignals>();
            var metrics = sp.GetRequiredService<StorageMetrics>();
            return options.Provider switch
            {
                StorageProvider.SqlServer => new SqlServerStorageDatabase(options, signals, metrics),
                StorageProvider.PostgreSql => new PostgreSqlStorageDatabase(options, signals, metrics, sp.GetRequiredService<ILogger<PostgreSqlCommitListener>>()),
                _ => new SqliteStorageDatabase(options, signals, metrics),
            };
        });
        services.TryAddSingleton<IStorageMigrator, MigrationRunner>();
        services.TryAddSingleton<IChangeNotifier, ChangeNotifier>();
        services.TryAddSingleton<IStorageProbe, StorageProbe>();
        services.TryAddSingleton<ITaskLogRepository, TaskLogRepository>();
        services.TryAddSingleton<IMessageRepository, MessageRepository>();
        services.TryAddSingleton<IProvisioningRepository, ProvisioningRepository>();
        services.TryAddSingleton<IGuestLogRepository, GuestLogRepository>();
        services.TryAddSingleton<IAgentCommandRepository, AgentCommandRepository>();

        services.AddSingleton<IReaper, MessageReaper>();
        services.AddSingleton<IReaper, TaskReaper>();
        services.AddSingleton<IReaper, RequestLogReaper>();
        services.AddSingleton<IReaper, GuestLogChunkReaper>();
        services.AddSingleton<IReaper, AgentCommandReaper>();
        services.AddSingleton<IReaper, ProvisioningCompactor>();
        services.AddSingleton<IReaper, IdempotencyReaper>();

        services.AddHostedService<StorageStartupService>();
        services.AddHostedService<RetentionService>();
        return services;
    }
}
