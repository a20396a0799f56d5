using EventLog.Tests.Shared;
using System.Collections.Concurrent;
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

namespace EventLog.Benchmarks.TaskLog;

/// <summary>The EventLog server on a loopback port with a fresh SQLite file, as Program.cs wires it.</summary>
internal sealed class BenchmarkHost : IAsyncDisposable
{
    public const string Token = "bench-token";

    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private BenchmarkHost(WebApplication app, string dataDirectory, Uri address, ConcurrentDictionary<(long TaskId, long Line), long> committedAt)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        Address = address;
        CommittedAt = committedAt;
    }

    public Uri Address { get; }

    /// <summary>Stopwatch time stamp of the commit of each appended line, taken in the server (<see cref="CommitProbe"/>).</summary>
    public ConcurrentDictionary<(long TaskId, long Line), long> CommittedAt { get; }

    public static async Task<BenchmarkHost> StartAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "eventlog-bench", Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:DataDirectory"] = dataDirectory,
            ["Auth:Mode"] = "Development",
            ["Auth:DevelopmentToken"] = Token,
            ["Logging:LogLevel:Default"] = "Warning",
            // Capacity is measured, not the per-principal policy (one token drives all the load here).
            ["Limits:WritesPerSecondPerPrincipal"] = "0",
            ["Limits:MaxConcurrentStreamsPerPrincipal"] = "0",
        });
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddEventLogServer(builder.Configuration);
        var committedAt = CommitProbe.Install(builder.Services);
        var app = builder.Build();
        app.MapEventLogServices();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BenchmarkHost(app, dataDirectory, new Uri(address), committedAt);
    }

    public GrpcChannel CreateChannel() => TestChannels.Create(Address, Token);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
