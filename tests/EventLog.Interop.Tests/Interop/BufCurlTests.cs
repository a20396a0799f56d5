using System.Text.Json;
using EventLog.Interop.Tests.Infrastructure;
using Xunit;

namespace EventLog.Interop.Tests.Interop;

/// <summary>
/// <c>buf curl</c> with no schema: everything it knows about our services comes from server reflection
/// (grpc.reflection.v1, the version buf tries first).
/// </summary>
public sealed class BufCurlTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    [Fact]
    public async Task BufCurl_ListServices_ShowsEveryMappedService()
    {
        using var curl = await RunBufCurlAsync("--list-services", server.Address);

        var services = curl.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("grpc.testing.TestService", services);
        Assert.Contains("grpc.health.v1.Health", services);
        Assert.Contains("grpc.reflection.v1.ServerReflection", services);
    }

    [Fact]
    public async Task BufCurl_HealthCheck_IsServing()
    {
        using var curl = await RunBufCurlAsync($"{server.Address}/grpc.health.v1.Health/Check");

        using var json = JsonDocument.Parse(curl.StandardOutput);
        Assert.Equal("SERVING", json.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task BufCurl_UnaryCall_ResolvesImportedMessagesByReflection()
    {
        // SimpleRequest lives in messages.proto, imported by test.proto: buf must get the dependency by reflection.
        using var curl = await RunBufCurlAsync("-d", """{"responseSize": 3}""", $"{server.Address}/grpc.testing.TestService/UnaryCall");

        using var json = JsonDocument.Parse(curl.StandardOutput);
        Assert.Equal("AAAA", json.RootElement.GetProperty("payload").GetProperty("body").GetString());
    }

    private static async Task<ChildProcess> RunBufCurlAsync(params string[] arguments)
    {
        var buf = ExternalTools.RequireBuf();
        var curl = await ChildProcess.RunAsync(
            buf, ["curl", "--protocol", "grpc", "--http2-prior-knowledge", "--connect-timeout", "10", .. arguments], TimeSpan.FromSeconds(60));
        Assert.True(curl.ExitCode == 0, $"`{curl.CommandLine}` exited {curl.ExitCode}:\n{curl.Output}");
        return curl;
    }
}
