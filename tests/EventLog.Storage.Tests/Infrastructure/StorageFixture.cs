using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EventLog.Storage.Tests.Infrastructure;

/// <summary>One migrated database per test class for a provider; services built over it.</summary>
public abstract class StorageFixture : IAsyncLifetime
{
    private readonly List<ServiceProvider> _providers = [];

    public abstract StorageProvider Provider { get; }

    /// <summary>Why this provider's tests are skipped, or null when they run.</summary>
    public virtual string? SkipReason => null;

    public TestClock Clock { get; } = new();

    public IServiceProvider Services { get; private set; } = null!;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    protected abstract Dictionary<string, string?> Settings();

    /// <summary>An independent service container over the same database (as another process would have).</summary>
    public ServiceProvider BuildServices(Action<StorageOptions>? configure = null, TimeProvider? clock = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings()).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(clock ?? Clock);
        services.AddEventLogStorage(configuration, o =>
        {
            o.ChangePollInterval = TimeSpan.FromMilliseconds(100);
            configure?.Invoke(o);
        });
        var provider = services.BuildServiceProvider();
        lock (_providers)
        {
            _providers.Add(provider);
        }

        return provider;
    }

    public virtual async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        await CreateDatabaseAsync();
        Services = BuildServices();
        await Get<IStorageMigrator>().MigrateAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    protected virtual Task CreateDatabaseAsync() => Task.CompletedTask;

    protected virtual Task DropDatabaseAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        if (SkipReason is null)
        {
            await DropDatabaseAsync();
        }
    }
}
