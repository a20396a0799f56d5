namespace EventLog.Client.Tests.Infrastructure;

/// <summary>A test class whose every test gets its own server and a client with project A's agent token.</summary>
public abstract class AgentServerTest : IAsyncLifetime
{
    /// <summary>The server of the running test.</summary>
    protected EventLogHost Server { get; private set; } = null!;

    /// <summary>A client of <see cref="Server"/> as project A's agent.</summary>
    protected EventLogClient Agent { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await SdkHost.StartAsync();
        Agent = Server.CreateClient(TestTokens.AgentA);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
