using Xunit.Abstractions;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace EventLog.Interop.Tests.Hosting;

/// <summary>
/// Where the real host listens: 127.0.0.1:50051 unless told otherwise, by <c>--urls</c>,
/// <c>ASPNETCORE_URLS</c> or Kestrel endpoint configuration, and Health/Check answers SERVING there; the
/// HTTP/JSON API listens beside it (HTTP/1.1) on 127.0.0.1:50052 by default, or at <c>Rest:Url</c>.
/// The tests of the default ports run one after the other (one class) and never in parallel with a
/// test that could take 50051 or 50052.
/// </summary>
public sealed class HostAddressTests(ITestOutputHelper output)
{
    private const int DefaultPort = 50051;
    private const string DefaultAddress = "http://127.0.0.1:50051";
    private const int DefaultRestPort = 50052;
    private const string DefaultRestAddress = "http://127.0.0.1:50052";

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
    public async Task NoAddressConfigured_ListensOnLoopback50051_AndTheHttpJsonApiOn50052()
    {
        var holders = new[] { FreePort.TryHold(DefaultPort), FreePort.TryHold(DefaultRestPort) };
        foreach (var holder in holders)
        {
            holder?.Dispose();
        }
        Skip.If(holders.Contains(null), $"127.0.0.1:{DefaultPort} or {DefaultRestPort} is in use on this machine, so the default addresses cannot be served here; NoAddressConfigured_DefaultTaken_FailsNamingTheDefault still checks the first.");
        output.WriteLine($"127.0.0.1:{DefaultPort} and {DefaultRestPort} were free; starting the server without an address.");

        using var server = InteropHost.Start([]);

        Assert.Equal([DefaultAddress], await server.WaitUntilListeningAsync());
        Assert.Equal(ServingStatus.Serving, await InteropHost.CheckHealthAsync(DefaultAddress));
        await AssertServesHttpJsonAsync(server, DefaultRestAddress);
    }

    [Fact]
    public async Task UrlsArgument_WithRestUrl_ServesGrpcThereAndHttpJsonBeside_WithoutKestrelWarnings()
    {
        var address = $"http://127.0.0.1:{FreePort.Next()}";
        var rest = $"http://127.0.0.1:{FreePort.Next()}";
        using var server = InteropHost.Start(["--urls", address, "--Rest:Url", rest]);

        Assert.Equal([address], await server.WaitUntilListeningAsync());
        Assert.Equal(ServingStatus.Serving, await InteropHost.CheckHealthAsync(address));
        await AssertServesHttpJsonAsync(server, rest);
        // The urls were bound beside the HTTP/JSON listener, not dropped with a warning.
        Assert.DoesNotContain("Overriding", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("warn: Microsoft.AspNetCore.Server.Kestrel", server.Output, StringComparison.Ordinal);
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

    [Fact]
    public async Task RestUrlNotAListeningAddress_FailsNamingTheSetting()
    {
        using var server = InteropHost.Start(["--urls", $"http://127.0.0.1:{FreePort.Next()}", "--Rest:Url", "http://example.com:8080"]);

        await server.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(server.ExitCode != 0, $"the server started with a host name as Rest:Url:\n{server.Output}");
        Assert.Contains("Rest:Url 'http://example.com:8080' must be http(s)://host:port", server.Output, StringComparison.Ordinal);
    }

    /// <summary>The HTTP/JSON API is announced at <paramref name="address"/> and answers there over HTTP/1.1, with and without a token.</summary>
    private static async Task AssertServesHttpJsonAsync(EventLogProcess server, string address)
    {
        Assert.True(await TestTimeouts.EventuallyAsync(() => server.Output.Contains($"EventLog HTTP/JSON API on {address} ", StringComparison.Ordinal)), server.Output);
        using var http = new HttpClient { BaseAddress = new Uri(address), DefaultRequestVersion = System.Net.HttpVersion.Version11, Timeout = TestTimeouts.Default };
        using var document = await http.GetAsync("/openapi/v1.json").WithTimeout();
        Assert.Equal((System.Net.HttpStatusCode.OK, System.Net.HttpVersion.Version11), (document.StatusCode, document.Version));
        using var anonymous = await http.GetAsync("/v1/projects/demo/messages").WithTimeout();
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", InteropHost.Token);
        using var listed = await http.GetAsync("/v1/projects/demo/messages").WithTimeout();
        Assert.Equal(System.Net.HttpStatusCode.OK, listed.StatusCode);
    }
}
