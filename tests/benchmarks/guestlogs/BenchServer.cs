using EventLog.Tests.Shared;
using System.Net;
using Grpc.Net.Client;
using EventLog.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GuestLogsBenchmark;

/// <summary>The EventLog server in-process on a loopback port with a fresh SQLite database and one admin token.</summary>
internal sealed class BenchServer : IAsyncDisposable
{
    public const string Token = "bench-admin-token";

    private readonly WebApplication _app;
    private readonly List<GrpcChannel> _channels = [];

    private BenchServer(WebApplication app, Uri address, string dataDirectory)
    {
        _app = app;
        Address = address;
        DataDirectory = dataDirectory;
    }

    public Uri Address { get; }

    public string DataDirectory { get; }

    public static async Task<BenchServer> StartAsync()
    {
        var data = Path.Combine(Path.GetTempPath(), "eventlog-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:DataDirectory"] = data,
            ["Auth:Mode"] = "Development",
            ["Auth:DevelopmentToken"] = Token,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Provisioning:HeartbeatInterval"] = "00:01:00",
            ["Limits:MaxConcurrentStreamsPerPrincipal"] = "0",
        });
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.Http2.MaxStreamsPerConnection = 1000;
            k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddEventLogServer(builder.Configuration);
        var app = builder.Build();
        app.MapEventLogServices();
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BenchServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)), data);
    }

    public GrpcChannel CreateChannel()
    {
        var channel = TestChannels.Create(Address, Token);
        _channels.Add(channel);
        return channel;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
