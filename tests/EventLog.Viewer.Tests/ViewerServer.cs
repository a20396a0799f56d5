using Grpc.Net.Client;

namespace EventLog.Viewer.Tests;

/// <summary>
/// The real server in-process with the kit's tokens: gRPC (h2c) for seeding through the generated clients, and the
/// HTTP/1.1 listener of the HTTP/JSON API, where the browser opens the viewer.
/// </summary>
public sealed class ViewerServer : IAsyncLifetime
{
    private EventLogHost? _host;

    public EventLogHost Host => _host ?? throw new InvalidOperationException("Not started.");

    /// <summary>The viewer's address on the HTTP/1.1 listener.</summary>
    public Uri ViewerUrl => new(Host.HttpAddress!, "/viewer/");

    public async Task InitializeAsync() => _host = await EventLogHost.StartAsync();

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
