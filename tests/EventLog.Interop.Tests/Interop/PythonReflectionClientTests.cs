using EventLog.Interop.Tests.Infrastructure;
using Xunit;

namespace EventLog.Interop.Tests.Interop;

/// <summary>
/// python grpcio with reflection stubs generated from protos/grpc/reflection: a reflection client
/// nobody here wrote the protocol side of, over both versions, building the schema it calls with.
/// </summary>
public sealed class PythonReflectionClientTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    [Theory]
    [InlineData("v1")]
    [InlineData("v1alpha")]
    public async Task PythonReflection_UnaryCall_WithImportedMessages(string version)
    {
        var errorsBefore = server.Logs.Errors.Count;

        var result = await PythonReflectionClient.RunAsync(
            server.Port, version, "grpc.testing.TestService/UnaryCall", """{"responseSize": 5, "payload": {"body": "AQID"}}""");

        Assert.Contains("grpc.testing.TestService", result.Services);
        Assert.Contains("grpc.reflection." + version + ".ServerReflection", result.Services);
        Assert.Equal(["interop/empty.proto", "interop/messages.proto", "interop/test.proto"], result.Files);
        var response = Assert.Single(result.Responses);
        Assert.Equal("AAAAAAA=", response.GetProperty("payload").GetProperty("body").GetString());
        server.AssertNoNewErrors(errorsBefore);
    }

    [Fact]
    public async Task PythonReflection_V1Alpha_ServerStreaming()
    {
        var result = await PythonReflectionClient.RunAsync(
            server.Port, "v1alpha", "grpc.testing.TestService/StreamingOutputCall", """{"responseParameters": [{"size": 1}, {"size": 4}]}""");

        Assert.Equal(["AA==", "AAAAAA=="], result.Responses.Select(r => r.GetProperty("payload").GetProperty("body").GetString()));
    }

    [Fact]
    public async Task PythonReflection_HealthCheck_IsServing()
    {
        var result = await PythonReflectionClient.RunAsync(server.Port, "v1alpha", "grpc.health.v1.Health/Check", "{}");

        Assert.Equal(["grpc/health/v1/health.proto"], result.Files);
        Assert.Equal("SERVING", Assert.Single(result.Responses).GetProperty("status").GetString());
    }
}
