using EventLog.Tests.Shared;
using System.Net;
using Grpc.Net.Client;
using EventLog.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EventLog.Security.Tests.Infrastructure;

/// <summary>
/// The real EventLog server (the registrations of Program.cs) in-process on a loopback port, with a fresh
/// SQLite database, the test tokens in production mode, and every log entry collected.
/// </summary>
public sealed class SecurityServer : IAsyncDisposable
{
    private readonly List<GrpcChannel> _channels = [];
    private readonly WebApplication _app;

    private SecurityServer(WebApplication app, string dataDirectory, Uri address, LogCollector logs)
    {
        _app = app;
        DataDirectory = dataDirectory;
        Address = address;
        Logs = logs;
    }

    /// <summary>The gRPC address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; }

    /// <summary>The folder of the SQLite database.</summary>
    public string DataDirectory { get; }

    /// <summary>Everything the server logged.</summary>
    public LogCollector Logs { get; }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server; <paramref name="settings"/> override the defaults; <paramref name="withTestTokens"/> false configures no token.</summary>
    public static async Task<SecurityServer> StartAsync(IEnumerable<KeyValuePair<string, string?>>? settings = null, Action<KestrelServerOptions>? kestrel = null, bool withTestTokens = true)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "eventlog-security-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var configuration = new Dictionary<string, string?>(withTestTokens ? Tokens.Configuration() : [])
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:DataDirectory"] = dataDirectory,
            ["Auth:Mode"] = "Production",
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft"] = "Warning",
        };
        foreach (var (key, value) in settings ?? [])
        {
            configuration[key] = value;
        }
        var logs = new LogCollector();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.WebHost.ConfigureKestrel(k =>
        {
            if (kestrel is null)
            {
                k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2);
            }
            else
            {
                kestrel(k);
            }
        });
        builder.Services.AddEventLogServer(builder.Configuration);
        var app = builder.Build();
        app.MapEventLogServices();
        try
        {
            await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await app.DisposeAsync();
            Directory.Delete(dataDirectory, recursive: true);
            throw;
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SecurityServer(app, dataDirectory, new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)), logs);
    }

    /// <summary>A channel whose calls carry <c>authorization: Bearer {token}</c> (none when null).</summary>
    public GrpcChannel CreateChannel(string? token, Action<GrpcChannelOptions>? configure = null)
    {
        var options = new GrpcChannelOptions();
        configure?.Invoke(options);
        var channel = TestChannels.Create(Address, token, options);
        lock (_channels)
        {
            _channels.Add(channel);
        }
        return channel;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        lock (_channels)
        {
            foreach (var channel in _channels)
            {
                channel.Dispose();
            }
        }
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A handle still open; the temp folder is cleaned eventually.
        }
    }
}
