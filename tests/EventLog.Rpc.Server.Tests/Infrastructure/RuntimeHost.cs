using System.Net;
using EventLog.Rpc.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EventLog.Rpc.Server.Tests.Infrastructure;

/// <summary>A Kestrel HTTP/2 server on a loopback port hosting the test service with given options.</summary>
public sealed class RuntimeHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RuntimeHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Probe = app.Services.GetRequiredService<HandlerProbe>();
    }

    public Uri Address { get; }

    public HandlerProbe Probe { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<RuntimeHost> StartAsync(Action<GrpcServerOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpcServer(configure);
        builder.Services.AddSingleton<HandlerProbe>();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapGrpcService<RpcTestService>();
        app.MapGrpcHealthService();
        app.MapGrpcReflectionService();
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RuntimeHost(app, new Uri(address));
    }

    public GrpcChannel CreateChannel(GrpcChannelOptions? options = null) => GrpcChannel.ForAddress(Address, options);

    /// <summary>An HttpClient speaking HTTP/2 with prior knowledge, for raw protocol tests.</summary>
    public HttpClient CreateRawClient() => new(new SocketsHttpHandler()) { BaseAddress = Address, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}
