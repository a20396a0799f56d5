using EventLog.Interop.Tests.Infrastructure;
using Xunit;

namespace EventLog.Interop.Tests.Hosting;

/// <summary>One real EventLog.Server on a free loopback port, shared by a test class.</summary>
public sealed class RealHostFixture : IAsyncLifetime
{
    private EventLogServerProcess? _server;

    /// <summary>The port it listens on.</summary>
    public int Port { get; } = FreePort.Next();

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public string Address => $"http://127.0.0.1:{Port}";

    /// <summary>What the server printed so far.</summary>
    public string Output => _server?.Process.Output ?? "";

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        _server = EventLogServerProcess.Start(["--urls", Address]);
        await _server.WaitUntilListeningAsync();
    }

    /// <inheritdoc/>
    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }
}
