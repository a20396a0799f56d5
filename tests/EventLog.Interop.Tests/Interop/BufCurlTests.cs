using System.Text.Json;
using EventLog.Interop.Tests.Infrastructure;
using Xunit;

namespace EventLog.Interop.Tests.Interop;

/// <summary>
/// <c>buf curl</c> with no schema: everything it knows about our services comes from server reflection
/// (grpc.reflection.v1, the version buf tries first, and v1alpha when told to use it).
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

    [Theory]
    [InlineData("grpc-v1")]
    [InlineData("grpc-v1alpha")]
    public async Task BufCurl_EachReflectionVersion_ListsServices(string reflectProtocol)
    {
        using var curl = await RunBufCurlAsync("--reflect-protocol", reflectProtocol, "--list-services", server.Address);

        var services = curl.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("grpc.testing.TestService", services);
        Assert.Contains("grpc.reflection.v1alpha.ServerReflection", services);
    }

    [Theory]
    [InlineData("grpc-v1")]
    [InlineData("grpc-v1alpha")]
    public async Task BufCurl_EachReflectionVersion_InvokesUnaryCallWithAJsonBody(string reflectProtocol)
    {
        // Nested message, enum by name and bytes as base64: buf can only encode this with the full schema.
        using var curl = await RunBufCurlAsync(
            "--reflect-protocol", reflectProtocol,
            "-d", """{"responseType": "COMPRESSABLE", "responseSize": 6, "payload": {"type": "COMPRESSABLE", "body": "AQIDBA=="}}""",
            $"{server.Address}/grpc.testing.TestService/UnaryCall");

        using var json = JsonDocument.Parse(curl.StandardOutput);
        Assert.Equal("AAAAAAAA", json.RootElement.GetProperty("payload").GetProperty("body").GetString());
    }

    [Fact]
    public async Task BufCurl_V1Alpha_ListMethods_ShowsEveryTestServiceMethod()
    {
        using var curl = await RunBufCurlAsync("--reflect-protocol", "grpc-v1alpha", "--list-methods", server.Address);

        var methods = curl.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var method in new[] { "EmptyCall", "UnaryCall", "StreamingOutputCall", "StreamingInputCall", "FullDuplexCall", "HalfDuplexCall", "UnimplementedCall" })
        {
            Assert.Contains("grpc.testing.TestService/" + method, methods);
        }
    }

    [Fact]
    public async Task BufCurl_ServerStreaming_PrintsEachResponse()
    {
        using var curl = await RunBufCurlAsync(
            "--reflect-protocol", "grpc-v1alpha",
            "-d", """{"responseParameters": [{"size": 1}, {"size": 2}, {"size": 3}]}""",
            $"{server.Address}/grpc.testing.TestService/StreamingOutputCall");

        Assert.Equal(["AA==", "AAA=", "AAAA"], ReadJsonValues(curl.StandardOutput).Select(r => r.GetProperty("payload").GetProperty("body").GetString()));
    }

    [Fact]
    public async Task BufCurl_Duplex_SendsEveryRequestMessage()
    {
        using var curl = await RunBufCurlAsync(
            "-d", """{"responseParameters": [{"size": 2}]} {"responseParameters": [{"size": 4}]}""",
            $"{server.Address}/grpc.testing.TestService/FullDuplexCall");

        Assert.Equal(["AAA=", "AAAAAA=="], ReadJsonValues(curl.StandardOutput).Select(r => r.GetProperty("payload").GetProperty("body").GetString()));
    }

    [Fact]
    public async Task BufCurl_ErrorStatus_ExitCodeAndMessage()
    {
        var buf = ExternalTools.RequireBuf();
        using var curl = await ChildProcess.RunAsync(
            buf,
            [
                "curl", "--protocol", "grpc", "--http2-prior-knowledge", "--connect-timeout", "10", "--reflect-protocol", "grpc-v1alpha",
                "-d", """{"responseStatus": {"code": 9, "message": "not now ☺ 100%"}}""", $"{server.Address}/grpc.testing.TestService/UnaryCall",
            ],
            TimeSpan.FromSeconds(60));

        // buf curl exits with the gRPC code shifted left by three and prints the status as JSON on stderr.
        Assert.True(curl.ExitCode == 9 << 3, $"`{curl.CommandLine}` exited {curl.ExitCode}:\n{curl.Output}");
        var error = curl.Output.Replace("[stderr] ", "", StringComparison.Ordinal);
        using var json = JsonDocument.Parse(error);
        Assert.Equal("failed_precondition", json.RootElement.GetProperty("code").GetString());
        Assert.Equal("not now ☺ 100%", json.RootElement.GetProperty("message").GetString());
    }

    private static List<JsonElement> ReadJsonValues(string text)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text), new JsonReaderOptions { AllowMultipleValues = true });
        var values = new List<JsonElement>();
        while (reader.Read())
        {
            values.Add(JsonElement.ParseValue(ref reader));
        }
        return values;
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
