using EventLog.Tests.Shared;
using System.Net;
using Grpc.Net.Client;
using Grpc.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EventLog.Server.Tests.Infrastructure;

/// <summary>
/// The real EventLog server (same registrations as Program.cs) on a loopback port with a fresh
/// SQLite database, and channels that carry a bearer token. Restartable on the same port and data.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configureServices;
    private readonly List<GrpcChannel> _channels = [];
    private WebApplication? _app;

    private TestServer(string dataDirectory, IEnumerable<KeyValuePair<string, string?>>? settings, Action<IServiceCollection>? configureServices)
    {
        DataDirectory = dataDirectory;
        _configureServices = configureServices;
        _settings = new Dictionary<string, string?>(TestTokens.Configuration())
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:DataDirectory"] = dataDirectory,
            ["Auth:Mode"] = "Production",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }
    }

    /// <summary>The folder holding this server's SQLite database.</summary>
    public string DataDirectory { get; }

    /// <summary>The address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>The running host's services (for repository access in assertions).</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The server is stopped.");

    /// <summary>
    /// Starts a server on a free port with optional configuration overrides; <paramref name="configureServices"/> runs
    /// after the server's registrations, so it can replace one (such as the <see cref="TimeProvider"/>).
    /// </summary>
    public static async Task<TestServer> StartAsync(IEnumerable<KeyValuePair<string, string?>>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "eventlog-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var server = new TestServer(dataDirectory, settings, configureServices);
        try
        {
            await server.StartOnPortAsync(0);
        }
        catch
        {
            // A start that fails validation must not leave its host or data folder behind.
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Stops the host (like a process exit), keeping the database.</summary>
    public async Task StopAsync()
    {
        if (_app is null)
        {
            return;
        }
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
        _app = null;
    }

    /// <summary>Starts again on the same port and database.</summary>
    public Task RestartAsync() => StartOnPortAsync(Address.Port);

    /// <summary>A channel whose calls carry <c>authorization: Bearer {token}</c>.</summary>
    public GrpcChannel CreateChannel(string token = TestTokens.Admin)
    {
        var channel = TestChannels.Create(Address, token);
        _channels.Add(channel);
        return channel;
    }

    /// <summary>A channel with no token.</summary>
    public GrpcChannel CreateAnonymousChannel()
    {
        var channel = GrpcChannel.ForAddress(Address);
        _channels.Add(channel);
        return channel;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a stray handle; the temp folder is cleaned by the OS eventually.
        }
    }

    private async Task StartOnPortAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(_settings);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddEventLogServer(builder.Configuration);
        _configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapEventLogServices();
        try
        {
            await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        _app = app;
    }
}
