using System.Net;
using EventLog.Interop.Tests.Services;
using EventLog.Rpc.Client;
using EventLog.Rpc.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace EventLog.Interop.Tests.Infrastructure;

/// <summary>
/// Our server hosting the interop TestService (plus health and reflection) on a free loopback port,
/// h2c only, as a class fixture. Error logs are collected so tests can assert there were none.
/// </summary>
public class InProcessServer : IAsyncLifetime
{
    /// <summary>The receive limit this server enforces (the default 4 MiB unless a subclass says otherwise).</summary>
    protected virtual int MaxReceiveMessageSize => 4 * 1024 * 1024;

    /// <summary>The encoding of responses to clients that accept it (none unless a subclass says otherwise).</summary>
    protected virtual string? ResponseCompression => null;

    private WebApplication? _app;

    /// <summary>The service instance every call goes to.</summary>
    public TestServiceImpl Service { get; } = new();

    /// <summary>The server's warning and error logs.</summary>
    public LogCollector Logs { get; } = new();

    /// <summary>The port the server listens on (127.0.0.1).</summary>
    public int Port { get; private set; }

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public string Address => $"http://127.0.0.1:{Port}";

    /// <summary>Creates a channel of our client to this server.</summary>
    public GrpcChannel CreateChannel() => GrpcChannel.ForAddress(Address);

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(Logs);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpcServer(o =>
        {
            o.MaxReceiveMessageSize = MaxReceiveMessageSize;
            o.ResponseCompression = ResponseCompression;
        });
        builder.Services.AddSingleton(Service);
        var app = builder.Build();
        app.MapGrpcService<TestServiceImpl>();
        app.MapGrpcHealthService();
        app.MapGrpcReflectionService();
        await app.StartAsync().WithTimeout();
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        Port = new Uri(address).Port;
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _app.StopAsync(cts.Token).WithTimeout();
            await _app.DisposeAsync().AsTask().WithTimeout();
        }
    }

    /// <summary>Fails if the server logged an error since <paramref name="errorsBefore"/> entries.</summary>
    public void AssertNoNewErrors(int errorsBefore)
    {
        var errors = Logs.Errors.Skip(errorsBefore).ToArray();
        Assert.True(errors.Length == 0, "The server logged errors:\n" + string.Join("\n", errors));
    }
}
