using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventLog.Storage.Tests.Hosting;

public sealed class StorageHostingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Start_SqlServerWithoutConnectionString_FailsWithClearMessage()
    {
        using var host = BuildHost(new() { ["Storage:Provider"] = "SqlServer" });
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync()).WaitAsync(Timeout);
        Assert.Contains("Storage:ConnectionString is required when Storage:Provider is SqlServer", ex.Message);
    }

    [Fact]
    public async Task Start_PostgreSqlWithoutConnectionString_FailsWithClearMessage()
    {
        using var host = BuildHost(new() { ["Storage:Provider"] = "PostgreSql" });
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync()).WaitAsync(Timeout);
        Assert.Contains("Storage:ConnectionString is required when Storage:Provider is PostgreSql", ex.Message);
    }

    [Fact]
    public async Task Start_InvalidRetention_ListsEveryProblem()
    {
        using var host = BuildHost(new()
        {
            ["Storage:DataDirectory"] = TempDirectory(),
            ["Storage:ChangePollInterval"] = "00:00:00",
            ["Storage:Retention:ReapBatchSize"] = "0",
        });
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync()).WaitAsync(Timeout);
        Assert.Contains("ChangePollInterval", ex.Message);
        Assert.Contains("ReapBatchSize", ex.Message);
    }

    [Fact]
    public async Task Start_DefaultSqlite_MigratesBeforeServingAndReapsInBackground()
    {
        var directory = TempDirectory();
        using var host = BuildHost(new()
        {
            ["Storage:DataDirectory"] = directory,
            ["Storage:Retention:ReapInterval"] = "00:00:00.200",
        });
        await host.StartAsync().WaitAsync(Timeout);
        try
        {
            Assert.True(File.Exists(Path.Combine(directory, "eventlog.db")));
            var embedded = EventLog.Storage.Core.MigrationRunner.LoadScripts("Sqlite").Select(s => s.Version).ToList();
            Assert.Equal(Enumerable.Range(1, embedded.Count), embedded);
            Assert.Equal(embedded, await host.Services.GetRequiredService<IStorageMigrator>().GetAppliedVersionsAsync().WaitAsync(Timeout));
            var messages = host.Services.GetRequiredService<IMessageRepository>();
            var expiring = await messages.CreateAsync(new NewUserMessage { Project = "p", ActionCode = "A", DetailCode = "D", Ttl = TimeSpan.FromMilliseconds(1) }).WaitAsync(Timeout);
            var kept = await messages.CreateAsync(new NewUserMessage { Project = "p", ActionCode = "A", DetailCode = "D" }).WaitAsync(Timeout);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (await messages.GetAsync(expiring.Id).WaitAsync(Timeout) is not null && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.Null(await messages.GetAsync(expiring.Id).WaitAsync(Timeout));
            Assert.NotNull(await messages.GetAsync(kept.Id).WaitAsync(Timeout));
        }
        finally
        {
            await host.StopAsync().WaitAsync(Timeout);
        }
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new HostBuilder()
            .ConfigureServices(services => services.AddLogging().AddEventLogStorage(configuration))
            .Build();
    }

    private static string TempDirectory() => Path.Combine(Path.GetTempPath(), "eventlog-tests", Guid.NewGuid().ToString("N"));
}
