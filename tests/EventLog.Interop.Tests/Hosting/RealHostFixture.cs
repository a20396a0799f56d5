using EventLog.Tests.Shared;
using EventLog.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace EventLog.Interop.Tests.Hosting;

/// <summary>
/// One real EventLog.Server on a free loopback port, shared by a test class, in production auth mode with
/// the <see cref="InteropTokens"/>. Subclasses add settings (<see cref="Settings"/>) the way an operator
/// would, through the environment.
/// </summary>
public class RealHostFixture : IAsyncLifetime
{
    private EventLogProcess? _server;
    private GrpcChannel? _channel;

    /// <summary>The port it listens on.</summary>
    public int Port { get; } = FreePort.Next();

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public string Address => $"http://127.0.0.1:{Port}";

    /// <summary>The admin token; the fixture's own channel sends it.</summary>
    public string Token => InteropTokens.Admin;

    /// <summary>What the server printed so far.</summary>
    public string Output => _server?.Output ?? "";

    /// <summary>A position in <see cref="Output"/>, for <see cref="AssertNoErrorLogsAsync"/>.</summary>
    public int OutputMark => Output.Length;

    /// <summary>The running server.</summary>
    public EventLogProcess Server => _server ?? throw new InvalidOperationException("The host has not started.");

    /// <summary>A channel to the host carrying the admin token (owned by the fixture).</summary>
    public GrpcChannel Channel => _channel ?? throw new InvalidOperationException("The host has not started.");

    /// <summary>Settings on top of the tokens, as environment variables.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        var environment = new Dictionary<string, string?>(InteropTokens.Environment());
        foreach (var (name, value) in Settings)
        {
            environment[name] = value;
        }
        _server = InteropHost.Start(["--urls", Address], environment);
        await _server.WaitUntilListeningAsync();
        _channel = TestChannels.Create(Address, Token);
    }

    /// <inheritdoc/>
    public Task DisposeAsync()
    {
        _channel?.Dispose();
        _server?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Starts a running task in the admin's project, for calls that need one to exist.</summary>
    public async Task<AsyncTask> StartTaskAsync()
    {
        var client = new TaskLogService.TaskLogServiceClient(Channel);
        var started = await client.StartTaskAsync(
            new StartTaskRequest { App = "kimchi", TargetUri = "/interop/" + Guid.NewGuid().ToString("N") }, deadline: DateTime.UtcNow.AddSeconds(15)).ResponseAsync.WithTimeout();
        return started.Task;
    }

    /// <summary>
    /// Fails if the server logged an error or critical line since <paramref name="mark"/>. The console logger
    /// writes from a queue, so a failing call with a known request id goes last and its line is waited for:
    /// whatever was logged before it is then in the output.
    /// </summary>
    public async Task AssertNoErrorLogsAsync(int mark)
    {
        // A line logged after the response went out (a handler's finally, a connection's teardown) gets time to be logged.
        await Task.Delay(250);
        var marker = "flush-" + Guid.NewGuid().ToString("N");
        var client = new MessagesService.MessagesServiceClient(Channel);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.ListMessagesAsync(
            new ListMessagesRequest { PageSize = -1 }, new Metadata { { "x-request-id", marker } }, DateTime.UtcNow.AddSeconds(15)).ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.True(
            await TestTimeouts.EventuallyAsync(() => Output.IndexOf(marker, mark, StringComparison.Ordinal) >= 0, TimeSpan.FromSeconds(10)),
            $"the marker call {marker} was never logged:\n{Output[mark..]}");
        var errors = Server.ErrorLinesSince(mark);
        Assert.True(errors.Count == 0, "the server logged errors:\n" + string.Join("\n", errors));
    }
}
