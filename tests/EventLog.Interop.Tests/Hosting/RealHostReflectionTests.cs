using System.Text.Json;
using EventLog.Interop.Tests.Interop;
using EventLog.V1;

namespace EventLog.Interop.Tests.Hosting;

/// <summary>
/// The way an operator reaches the real host without its protos: buf curl and python grpcio take the
/// schema of an EventLog method (which imports google/protobuf/timestamp.proto) from reflection alone.
/// </summary>
public sealed class RealHostReflectionTests(RealHostFixture server) : IClassFixture<RealHostFixture>
{
    private const string CreateMessage = "eventlog.v1.MessagesService/CreateMessage";

    [SkippableTheory]
    [InlineData("grpc-v1")]
    [InlineData("grpc-v1alpha")]
    public async Task BufCurl_CreateMessage_ByReflectionOnly(string reflectProtocol)
    {
        var buf = ExternalTools.SkipUnlessBuf();
        var requestId = "req-buf-" + reflectProtocol;

        using var curl = await ChildProcess.RunAsync(
            buf,
            [
                "curl", "--protocol", "grpc", "--http2-prior-knowledge", "--connect-timeout", "10", "--reflect-protocol", reflectProtocol,
                "-H", "authorization: Bearer " + server.Token, "-d", MessageJson(requestId), $"{server.Address}/{CreateMessage}",
            ],
            TimeSpan.FromSeconds(60));

        Assert.True(curl.ExitCode == 0, $"`{curl.CommandLine}` exited {curl.ExitCode}:\n{curl.Output}\nserver:\n{server.Output}");
        using var json = JsonDocument.Parse(curl.StandardOutput);
        AssertStoredMessage(json.RootElement.GetProperty("message"), requestId);
    }

    [SkippableTheory]
    [InlineData("v1")]
    [InlineData("v1alpha")]
    public async Task PythonReflection_CreateMessage_WithWellKnownTypes(string version)
    {
        var requestId = "req-python-" + version;

        var result = await PythonReflectionClient.RunAsync(
            server.Port, version, CreateMessage, MessageJson(requestId), ["authorization=Bearer " + server.Token], ["google/protobuf/timestamp.proto"]);

        Assert.Contains("eventlog.v1.MessagesService", result.Services);
        Assert.Contains("eventlog/v1/messages_service.proto", result.Files);
        AssertStoredMessage(Assert.Single(result.Responses).GetProperty("message"), requestId);
    }

    [SkippableFact]
    public async Task PythonReflection_ServerStreaming_TailsATaskLog()
    {
        ExternalTools.SkipUnlessPython();
        var task = await server.StartTaskAsync();
        var tasks = new TaskLogService.TaskLogServiceClient(server.Channel);
        using (var append = tasks.AppendTaskLog(deadline: DateTime.UtcNow.AddSeconds(15)))
        {
            await append.RequestStream.WriteAsync(new AppendTaskLogRequest { TaskId = task.Id, Lines = { "one", "two" } }).WithTimeout();
            await append.RequestStream.CompleteAsync().WithTimeout();
            await append.ResponseAsync.WithTimeout();
        }

        // Without follow the tail ends after the stored lines, so the client can read the stream to its end.
        var result = await PythonReflectionClient.RunAsync(
            server.Port, "v1", "eventlog.v1.TaskLogService/TailTaskLog", $$"""{"taskId": "{{task.Id}}"}""", ["authorization=Bearer " + server.Token]);

        Assert.Contains("eventlog/v1/task_log_service.proto", result.Files);
        var lines = result.Responses.Where(r => r.TryGetProperty("lines", out _)).SelectMany(r => r.GetProperty("lines").GetProperty("lines").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(["one", "two"], lines);
    }

    [SkippableFact]
    public async Task PythonReflection_HealthCheck_IsServing_WithoutAToken()
    {
        var result = await PythonReflectionClient.RunAsync(server.Port, "v1alpha", "grpc.health.v1.Health/Check", "{}");

        // Grpc.HealthCheck's embedded descriptor names its file plain "health.proto", not grpc/health/v1/health.proto.
        Assert.EndsWith("health.proto", Assert.Single(result.Files), StringComparison.Ordinal);
        Assert.Equal("SERVING", Assert.Single(result.Responses).GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task BufCurl_ListServices_ShowsTheFourAreasHealthAndReflection()
    {
        var buf = ExternalTools.SkipUnlessBuf();

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
