using EventLog.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EventLog.Client.Tests;

public sealed class DependencyInjectionTests
{
    [Fact]
    public void AddEventLogClient_BindsTheSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EventLog:Address"] = "http://127.0.0.1:50999",
            ["EventLog:Token"] = "secret",
            ["EventLog:DefaultDeadline"] = "00:00:07",
            ["EventLog:Retry:MaxAttempts"] = "6",
            ["EventLog:Compression"] = "Gzip",
        }).Build();
        using var provider = new ServiceCollection().AddEventLogClient(configuration.GetSection(EventLogClientOptions.SectionName)).BuildServiceProvider();

        var client = provider.GetRequiredService<EventLogClient>();

        Assert.Equal(new Uri("http://127.0.0.1:50999"), client.Options.Address);
        Assert.Equal("secret", client.Options.Token);
        Assert.Equal(TimeSpan.FromSeconds(7), client.Options.DefaultDeadline);
        Assert.Equal(6, client.Options.Retry.MaxAttempts);
        Assert.Equal(EventLogCompression.Gzip, client.Options.Compression);
        Assert.Same(client.Tasks, provider.GetRequiredService<TaskLogClient>());
        Assert.Same(client.GuestLogs, provider.GetRequiredService<GuestLogsClient>());
    }

    [Fact]
    public void AddEventLogClient_InvalidOptions_FailWithClearMessage()
    {
        using var provider = new ServiceCollection().AddEventLogClient(o => o.Retry.MaxAttempts = 0).BuildServiceProvider();

        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<EventLogClient>());
        Assert.Contains("MaxAttempts", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddEventLogGrpcClients_RegistersStubsThatCarryTheToken()
    {
        await using var server = await SdkHost.StartAsync();
        var services = new ServiceCollection().AddEventLogGrpcClients(o =>
        {
            o.Address = server.Address;
            o.Token = TestTokens.Admin;
        });
        using var provider = services.BuildServiceProvider();

        var tasks = provider.GetRequiredService<TaskLogService.TaskLogServiceClient>();
        var started = await tasks.StartTaskAsync(new StartTaskRequest { App = "factory", TargetUri = "/vms/f" }).ResponseAsync.WithTimeout();
        var messages = provider.GetRequiredService<MessagesService.MessagesServiceClient>();
        var page = await messages.ListMessagesAsync(new ListMessagesRequest()).ResponseAsync.WithTimeout();

        Assert.True(started.Task.Id > 0);
        Assert.Empty(page.Messages);
        Assert.NotNull(provider.GetRequiredService<ProvisioningService.ProvisioningServiceClient>());
        Assert.NotNull(provider.GetRequiredService<GuestLogsService.GuestLogsServiceClient>());
    }
}
