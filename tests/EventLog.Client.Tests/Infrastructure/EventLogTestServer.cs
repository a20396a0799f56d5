using System.Net;
using EventLog.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EventLog.Client.Tests.Infrastructure;

/// <summary>
/// The real EventLog server (the registrations of its Program.cs) on a loopback port with a fresh SQLite
/// database. Stop and restart it on the same port and database to test reconnects.
/// </summary>
public sealed class EventLogTestServer : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private readonly List<EventLogClient> _clients = [];
    private WebApplication? _app;

    private EventLogTestServer(string dataDirectory, IEnumerable<KeyValuePair<string, string?>>? settings)
    {
        DataDirectory = dataDirectory;
        _settings = new Dictionary<string, string?>(TestTokens.Configuration())
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:DataDirectory"] = dataDirectory,
            ["Auth:Mode"] = "Production",
            ["Logging:LogLevel:Default"] = "Warning",
            // Short heartbeats keep idle streams (and their tests) lively.
            ["TaskLog:HeartbeatInterval"] = "00:00:01",
            ["Messages:HeartbeatInterval"] = "00:00:01",
            ["Provisioning:HeartbeatInterval"] = "00:00:01",
            ["GuestLogs:HeartbeatInterval"] = "00:00:01",
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }
    }

    /// <summary>The folder of this server's SQLite database.</summary>
    public string DataDirectory { get; }

    /// <summary>The address, such as <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Starts a server on a free port.</summary>
    public static async Task<EventLogTestServer> StartAsync(IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "eventlog-client-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var server = new EventLogTestServer(dataDirectory, settings);
        await server.StartOnPortAsync(0);
        return server;
    }

    /// <summary>Stops the host (like a process exit), keeping the database and port number.</summary>
    public async Task StopAsync()
    {
        if (_app is null)
        {
            return;
        }
        var app = _app;
        _app = null;
        await app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await app.DisposeAsync();
    }

    /// <summary>Starts again on the same port and database.</summary>
    public Task RestartAsync() => StartOnPortAsync(Address.Port);

    /// <summary>A client of this server with fast retries, disposed with the server.</summary>
    public EventLogClient CreateClient(string token = TestTokens.Admin, Action<EventLogClientOptions>? configure = null)
    {
        var options = new EventLogClientOptions
        {
            Address = Address,
            Token = token,
            DefaultDeadline = TimeSpan.FromSeconds(20),
            Retry = new EventLogRetryOptions
            {
                InitialBackoff = TimeSpan.FromMilliseconds(50),
                MaxBackoff = TimeSpan.FromMilliseconds(500),
                MaxStreamReconnectAttempts = 120,
                StreamIdleTimeout = TimeSpan.FromSeconds(20),
            },
        };
        configure?.Invoke(options);
        var client = new EventLogClient(options);
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A handle still open; the temp folder is cleaned eventually.
        }
    }

    private async Task StartOnPortAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(_settings);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddEventLogServer(builder.Configuration);
        var app = builder.Build();
        app.MapEventLogServices();
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        _app = app;
    }
}
