using System.Text.Json;
using EventLog.Interop.Tests.Infrastructure;
using EventLog.Interop.Tests.Interop;
using Xunit;

namespace EventLog.Interop.Tests.Hosting;

/// <summary>
/// The way an operator reaches the real host without its protos: buf curl and python grpcio take the
/// schema of an EventLog method (which imports google/protobuf/timestamp.proto) from reflection alone.
/// </summary>
public sealed class RealHostReflectionTests(RealHostFixture server) : IClassFixture<RealHostFixture>
{
    private const string CreateMessage = "eventlog.v1.MessagesService/CreateMessage";

    [Theory]
    [InlineData("grpc-v1")]
    [InlineData("grpc-v1alpha")]
    public async Task BufCurl_CreateMessage_ByReflectionOnly(string reflectProtocol)
    {
        var buf = ExternalTools.RequireBuf();
        var requestId = "req-buf-" + reflectProtocol;

        using var curl = await ChildProcess.RunAsync(
            buf,
            [
                "curl", "--protocol", "grpc", "--http2-prior-knowledge", "--connect-timeout", "10", "--reflect-protocol", reflectProtocol,
                "-H", "authorization: Bearer " + EventLogServerProcess.Token, "-d", MessageJson(requestId), $"{server.Address}/{CreateMessage}",
            ],
            TimeSpan.FromSeconds(60));

        Assert.True(curl.ExitCode == 0, $"`{curl.CommandLine}` exited {curl.ExitCode}:\n{curl.Output}\nserver:\n{server.Output}");
        using var json = JsonDocument.Parse(curl.StandardOutput);
        AssertStoredMessage(json.RootElement.GetProperty("message"), requestId);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v1alpha")]
    public async Task PythonReflection_CreateMessage_WithWellKnownTypes(string version)
    {
        var requestId = "req-python-" + version;

        var result = await PythonReflectionClient.RunAsync(
            server.Port, version, CreateMessage, MessageJson(requestId), ["authorization=Bearer " + EventLogServerProcess.Token], ["google/protobuf/timestamp.proto"]);

        Assert.Contains("eventlog.v1.MessagesService", result.Services);
        Assert.Contains("eventlog/v1/messages_service.proto", result.Files);
        AssertStoredMessage(Assert.Single(result.Responses).GetProperty("message"), requestId);
    }

    [Fact]
    public async Task BufCurl_ListServices_ShowsTheFourAreasHealthAndReflection()
    {
        var buf = ExternalTools.RequireBuf();

        using var curl = await ChildProcess.RunAsync(buf, ["curl", "--protocol", "grpc", "--http2-prior-knowledge", "--list-services", server.Address], TimeSpan.FromSeconds(60));

        Assert.True(curl.ExitCode == 0, $"`{curl.CommandLine}` exited {curl.ExitCode}:\n{curl.Output}");
        Assert.Equal(
            [
                "eventlog.v1.GuestLogsService", "eventlog.v1.MessagesService", "eventlog.v1.ProvisioningService", "eventlog.v1.TaskLogService",
                "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
            ],
            curl.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
    }

    private static string MessageJson(string requestId) =>
        $$"""{"requestId": "{{requestId}}", "actionCode": "007", "detailCode": "009", "level": "MESSAGE_LEVEL_ERROR", "resourceType": "volume", "resourceUuid": "6f1c2b8e-0000-4000-8000-000000000001"}""";

    private static void AssertStoredMessage(JsonElement message, string requestId)
    {
        Assert.Equal(requestId, message.GetProperty("requestId").GetString());
        Assert.Equal("MESSAGE_LEVEL_ERROR", message.GetProperty("level").GetString());
        Assert.False(string.IsNullOrEmpty(message.GetProperty("userMessage").GetString()), message.ToString());
        // google.protobuf.Timestamp in its JSON form (RFC 3339, UTC): only a client that resolved the well-known type prints this.
        var createdAt = message.GetProperty("createdAt").GetString();
        Assert.True(DateTimeOffset.TryParse(createdAt, System.Globalization.CultureInfo.InvariantCulture, out var created) && createdAt!.EndsWith('Z'), $"createdAt {createdAt}");
        Assert.InRange(created, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
    }
}
