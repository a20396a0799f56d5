using System.Net;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EventLog.Viewer.Tests;

/// <summary>
/// The real server in-process with the kit's tokens: gRPC (h2c) for seeding through the generated clients, and an
/// HTTP/1.1 listener for the browser, as the README's set-up serves them.
/// </summary>
public sealed class ViewerServer : IAsyncLifetime
{
    private EventLogHost? _host;

    public EventLogHost Host => _host ?? throw new InvalidOperationException("Not started.");

    /// <summary>The viewer's address on the HTTP/1.1 listener.</summary>
    public Uri ViewerUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var grpcPort = FreePort.Next();
        var browserPort = FreePort.Next();
        _host = await EventLogHost.StartAsync(kestrel: k =>
        {
            k.Listen(IPAddress.Loopback, grpcPort, l => l.Protocols = HttpProtocols.Http2);
            k.Listen(IPAddress.Loopback, browserPort, l => l.Protocols = HttpProtocols.Http1);
        });
        ViewerUrl = new Uri($"http://127.0.0.1:{browserPort}/viewer/");
    }

    /// <summary>A gRPC channel with <paramref name="token"/>, disposed with the server.</summary>
    public GrpcChannel Channel(string token) => Host.Own(Host.CreateChannel(token));

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
