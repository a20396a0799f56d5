using System.Net;
using EventLog.Server;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventLog.Tests.Shared;

/// <summary>
/// The real EventLog server in-process: the registrations of Program.cs (AddEventLogServer, MapEventLogServices)
/// on a free loopback port (h2c) and the HTTP/JSON API on a second one (HTTP/1.1), with a fresh SQLite folder, the
/// <see cref="TestTokens"/> in production mode and every log entry kept in <see cref="Logs"/>. It stops and starts
/// again on the same ports and data, as a process restart does.
/// <para>
/// A server fault is logged at Error. Unless a test declared such an entry expected (<see cref="ExpectError"/>),
/// disposing the host fails with the entries: an error nobody looked at would otherwise pass unseen.
/// </para>
/// </summary>
public sealed class EventLogHost : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configureServices;
    private readonly Action<KestrelServerOptions>? _configureKestrel;
    private readonly List<IDisposable> _owned = [];
    private readonly List<Func<LogEntry, bool>> _expectedErrors = [];
    private WebApplication? _app;

    private EventLogHost(string dataDirectory, IEnumerable<KeyValuePair<string, string?>>? settings, Action<IServiceCollection>? configureServices, Action<KestrelServerOptions>? configureKestrel, bool withTestTokens)
    {
        DataDirectory = dataDirectory;
        _configureServices = configureServices;
        _configureKestrel = configureKestrel;
        _settings = new Dictionary<string, string?>(withTestTokens ? TestTokens.Configuration() : [])
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:DataDirectory"] = dataDirectory,
            ["Auth:Mode"] = "Production",
            // Information reaches the sink (tests assert on call logs); the framework's own chatter does not.
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft"] = "Warning",
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }
    }

    /// <summary>The folder holding this server's SQLite database, deleted on dispose.</summary>
    public string DataDirectory { get; }

    /// <summary>The address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>
    /// The HTTP/1.1 address of the HTTP/JSON API, e.g. <c>http://127.0.0.1:41235</c>; null when <c>kestrel</c> replaced
    /// the listeners.
    /// </summary>
    public Uri? HttpAddress { get; private set; }

    /// <summary>Everything the server logged, across restarts.</summary>
    public LogSink Logs { get; } = new();

    /// <summary>Whether dispose fails on an Error-or-worse entry no test declared expected (on unless turned off).</summary>
    public bool VerifyNoErrors { get; set; } = true;

    /// <summary>The running host's services (for repository access in assertions).</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The server is stopped.");

    /// <summary>
    /// Starts a server. <paramref name="settings"/> override the defaults; <paramref name="configureServices"/> runs after
    /// the server's registrations, so it can replace one (such as the <see cref="TimeProvider"/>);
    /// <paramref name="kestrel"/> replaces the loopback h2c listener; <paramref name="withTestTokens"/> false configures no token.
    /// </summary>
    public static async Task<EventLogHost> StartAsync(
        IEnumerable<KeyValuePair<string, string?>>? settings = null,
        Action<IServiceCollection>? configureServices = null,
        Action<KestrelServerOptions>? kestrel = null,
        bool withTestTokens = true)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("eventlog-tests-").FullName;
        var host = new EventLogHost(dataDirectory, settings, configureServices, kestrel, withTestTokens);
        try
        {
            await host.StartOnPortAsync(0, 0);
        }
        catch
        {
            // A start that fails validation must not leave its data folder behind, nor fail a second time on its logs.
            host.VerifyNoErrors = false;
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    /// <summary>Declares log entries of Error or worse that this test expects, so dispose does not fail on them.</summary>
    public void ExpectError(Func<LogEntry, bool> match)
    {
        lock (_expectedErrors)
        {
            _expectedErrors.Add(match);
        }
    }

    /// <summary>The Error-or-worse entries logged so far that no <see cref="ExpectError"/> matches.</summary>
    public IReadOnlyList<LogEntry> UnexpectedErrors()
    {
        lock (_expectedErrors)
        {
            return [.. Logs.Entries.Where(e => e.Level >= LogLevel.Error && !_expectedErrors.Any(match => match(e)))];
        }
    }

    /// <summary>Stops the host (like a process exit), keeping the database and the port number.</summary>
    public async Task StopAsync()
    {
        if (_app is null)
        {
            return;
        }
        var app = _app;
        _app = null;
        await app.StopAsync().WaitAsync(StopTimeout);
        await app.DisposeAsync();
    }

    /// <summary>Starts again on the same ports and database.</summary>
    public Task RestartAsync() => StartOnPortAsync(Address.Port, HttpAddress?.Port ?? 0);

    /// <summary>A channel whose calls carry <c>authorization: Bearer {token}</c> (none when null), disposed with the host.</summary>
    public GrpcChannel CreateChannel(string? token = TestTokens.Admin, Action<GrpcChannelOptions>? configure = null)
    {
        var options = new GrpcChannelOptions();
        configure?.Invoke(options);
        return Own(TestChannels.Create(Address, token, options));
    }

    /// <summary>
    /// An HTTP/1.1 client of the HTTP/JSON API (<see cref="HttpAddress"/>) sending <c>Authorization: Bearer {token}</c>
    /// (none when null), with <see cref="TestTimeouts.Default"/> as its timeout, disposed with the host.
    /// </summary>
    public HttpClient CreateHttpClient(string? token = TestTokens.Admin)
    {
        var client = Own(new HttpClient
        {
            BaseAddress = HttpAddress ?? throw new InvalidOperationException("This host has no HTTP/JSON listener."),
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TestTimeouts.Default,
        });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>A channel with no token, disposed with the host.</summary>
    public GrpcChannel CreateAnonymousChannel() => CreateChannel(token: null);

    /// <summary>Disposes <paramref name="resource"/> (a client, a channel) with the host, before the server stops.</summary>
    public T Own<T>(T resource)
        where T : IDisposable
    {
        lock (_owned)
        {
            _owned.Add(resource);
        }
        return resource;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        lock (_owned)
        {
            foreach (var resource in _owned)
            {
                resource.Dispose();
            }
            _owned.Clear();
        }
        await StopAsync();
        // Pooled SQLite connections hold the files open; without this the folder cannot be deleted.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a stray handle; the temp folder is cleaned by the OS eventually.
        }
        var errors = VerifyNoErrors ? UnexpectedErrors() : [];
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(
                "The server logged errors the test did not declare expected (EventLogHost.ExpectError):\n" + string.Join("\n", errors));
        }
    }

    private async Task StartOnPortAsync(int port, int httpPort)
    {
        // As Program does: settings are read once, so no file watcher wakes on the content root's files.
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false"]);
        builder.Configuration.AddInMemoryCollection(_settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(Logs);
        ListenOptions? http = null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            if (_configureKestrel is null)
            {
                k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2);
                k.Listen(IPAddress.Loopback, httpPort, l => (l.Protocols, http) = (HttpProtocols.Http1, l));
            }
            else
            {
                _configureKestrel(k);
            }
        });
        builder.Services.AddEventLogServer(builder.Configuration);
        _configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapEventLogServices();
        try
        {
            await app.StartAsync().WaitAsync(StartTimeout);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        // Kestrel has put the bound port (for port 0) in the listener's endpoint.
        HttpAddress = http?.IPEndPoint is { } bound ? new Uri($"http://127.0.0.1:{bound.Port}") : null;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(a => a != HttpAddress?.ToString().TrimEnd('/'));
        Address = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        _app = app;
    }
}
