using EventLog.Interop.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace EventLog.Interop.Tests.Hosting;

/// <summary>
/// Where the real host listens: 127.0.0.1:50051 unless told otherwise, by <c>--urls</c>,
/// <c>ASPNETCORE_URLS</c> or Kestrel endpoint configuration, and Health/Check answers SERVING there.
/// The tests of the default port run one after the other (one class) and never in parallel with a
/// test that could take 50051.
/// </summary>
public sealed class HostAddressTests(ITestOutputHelper output)
{
    private const int DefaultPort = 50051;
    private const string DefaultAddress = "http://127.0.0.1:50051";

    [Fact]
    public async Task UrlsArgument_ListensThere_AndServes()
    {
        var address = $"http://127.0.0.1:{FreePort.Next()}";
        using var server = InteropHost.Start(["--urls", address]);

        Assert.Equal([address], await server.WaitUntilListeningAsync());
        Assert.Equal(ServingStatus.Serving, await InteropHost.CheckHealthAsync(address));
    }

    [Fact]
    public async Task AspNetCoreUrlsVariable_ListensThere_AndServes()
    {
        var address = $"http://127.0.0.1:{FreePort.Next()}";
        using var server = InteropHost.Start([], new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = address });

        Assert.Equal([address], await server.WaitUntilListeningAsync());
        Assert.Equal(ServingStatus.Serving, await InteropHost.CheckHealthAsync(address));
    }

    [Fact]
    public async Task AspNetCoreHttpPortsVariable_ListensOnThatPortOfEveryInterface_AndServes()
    {
        // .NET container images set ASPNETCORE_HTTP_PORTS (8080); the server must not fall back to loopback there.
        var port = FreePort.Next();
        using var server = InteropHost.Start([], new Dictionary<string, string?> { ["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal([$"http://[::]:{port}"], await server.WaitUntilListeningAsync());
        Assert.Equal(ServingStatus.Serving, await InteropHost.CheckHealthAsync($"http://127.0.0.1:{port}"));
    }

    [Fact]
    public async Task UrlsArgument_WinsOverAspNetCoreUrls()
    {
        var argument = $"http://127.0.0.1:{FreePort.Next()}";
        var variable = $"http://127.0.0.1:{FreePort.Next()}";
        using var server = InteropHost.Start(["--urls", argument], new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = variable });

        Assert.Equal([argument], await server.WaitUntilListeningAsync());
        Assert.Equal(ServingStatus.Serving, await InteropHost.CheckHealthAsync(argument));
    }

    [Fact]
    public async Task KestrelEndpointConfiguration_ListensThere_AndServes()
    {
        var address = $"http://127.0.0.1:{FreePort.Next()}";
        using var server = InteropHost.Start([], new Dictionary<string, string?> { ["Kestrel__Endpoints__Grpc__Url"] = address });

        Assert.Equal([address], await server.WaitUntilListeningAsync());
        Assert.Equal(ServingStatus.Serving, await InteropHost.CheckHealthAsync(address));
        // Configured endpoints mean no default address at all, not a default Kestrel has to warn it overrides.
        Assert.DoesNotContain("Overriding address", server.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task NoAddressConfigured_ListensOnLoopback50051_AndServes()
    {
        var holder = FreePort.TryHold(DefaultPort);
        Skip.If(holder is null, $"127.0.0.1:{DefaultPort} is in use on this machine, so the default address cannot be served here; NoAddressConfigured_DefaultTaken_FailsNamingTheDefault still checks it.");
        holder!.Dispose();
        output.WriteLine($"127.0.0.1:{DefaultPort} was free; starting the server without an address.");

        using var server = InteropHost.Start([]);

        Assert.Equal([DefaultAddress], await server.WaitUntilListeningAsync());
        Assert.Equal(ServingStatus.Serving, await InteropHost.CheckHealthAsync(DefaultAddress));
    }

    [Fact]
    public async Task NoAddressConfigured_DefaultTaken_FailsNamingTheDefault()
    {
        // Holding the port ourselves (or finding it held) makes this deterministic either way: the server
        // must try exactly 127.0.0.1:50051, fail to start and say why, never fall back to another address.
        using var holder = FreePort.TryHold(DefaultPort);
        output.WriteLine(holder is null ? $"127.0.0.1:{DefaultPort} is held by another process." : $"The test holds 127.0.0.1:{DefaultPort}.");
        using var server = InteropHost.Start([]);

        await server.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(server.ExitCode != 0, $"the server started although {DefaultAddress} was taken:\n{server.Output}");
        Assert.Contains(DefaultAddress, server.Output, StringComparison.Ordinal);
        Assert.Contains("address already in use", server.Output, StringComparison.OrdinalIgnoreCase);
    }
}
