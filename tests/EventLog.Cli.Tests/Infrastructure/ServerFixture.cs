namespace EventLog.Cli.Tests.Infrastructure;

/// <summary>One in-process server per test class; the agent client seeds data, the CLI reads as a member.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public EventLogHost Server { get; private set; } = null!;

    public EventLogClient Agent { get; private set; } = null!;

    public Uri Address => Server.Address;

    public async Task InitializeAsync()
    {
        Server = await SdkHost.StartAsync();
        Agent = Server.CreateClient(TestTokens.AgentA);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>Runs the CLI as the project's member.</summary>
    public Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync(Address, TestTokens.MemberA, args);
}
