using System.Text.Json;
using EventLog.Interop.Tests.Hosting;
using Google.Protobuf;
using Google.Rpc;

namespace EventLog.Interop.Tests.Interop;

/// <summary>
/// <c>buf curl</c> against the real host with no schema of its own: everything it knows about the EventLog
/// services comes from server reflection. It writes, lists, follows a task's log to its end (client and
/// server streaming through reflection) and reports an error with its google.rpc details.
/// </summary>
public sealed class BufCurlTests(RealHostFixture host) : IClassFixture<RealHostFixture>
{
    [SkippableTheory]
    [InlineData("grpc-v1")]
    [InlineData("grpc-v1alpha")]
    public async Task BufCurl_ListMethods_DescribesMessagesService(string reflectProtocol)
    {
        using var curl = await RunAsync(["--reflect-protocol", reflectProtocol, "--list-methods", host.Address]);

        AssertExit(curl, 0);
        const string service = "eventlog.v1.MessagesService/";
        Assert.Equal(
            ["CreateMessage", "DeleteMessage", "GetMessage", "ListMessages", "PurgeMessages", "WatchMessages"],
            Lines(curl.StandardOutput).Where(m => m.StartsWith(service, StringComparison.Ordinal)).Select(m => m[service.Length..]).Order(StringComparer.Ordinal));
        Assert.Contains("eventlog.v1.TaskLogService/TailTaskLog", Lines(curl.StandardOutput));
    }

    [SkippableFact]
    public async Task BufCurl_HealthCheck_IsServing()
    {
        using var curl = await RunAsync([$"{host.Address}/grpc.health.v1.Health/Check"]);

        AssertExit(curl, 0);
        using var json = JsonDocument.Parse(curl.StandardOutput);
        Assert.Equal("SERVING", json.RootElement.GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task BufCurl_CreateMessage_ThenListIt()
    {
        var mark = host.OutputMark;
        var project = "interop-buf-" + Guid.NewGuid().ToString("N");
        var resource = Guid.NewGuid().ToString();

        using var create = await CallAsync("eventlog.v1.MessagesService/CreateMessage",
            $$"""{"project": "{{project}}", "requestId": "req-buf", "actionCode": "001", "detailCode": "003", "level": "MESSAGE_LEVEL_WARNING", "resourceUuid": "{{resource}}"}""");
        using var list = await CallAsync("eventlog.v1.MessagesService/ListMessages", $$"""{"project": "{{project}}", "resourceUuid": "{{resource}}"}""");

        AssertExit(create, 0);
        AssertExit(list, 0);
        using var created = JsonDocument.Parse(create.StandardOutput);
        using var listed = JsonDocument.Parse(list.StandardOutput);
        var message = created.RootElement.GetProperty("message");
        Assert.Equal(project, message.GetProperty("project").GetString());
        Assert.Equal("MESSAGE_LEVEL_WARNING", message.GetProperty("level").GetString());
        var only = Assert.Single(listed.RootElement.GetProperty("messages").EnumerateArray());
        Assert.Equal(message.GetProperty("id").GetString(), only.GetProperty("id").GetString());
        await host.AssertNoErrorLogsAsync(mark);
    }

    [SkippableFact]
    public async Task BufCurl_FollowsATaskLog_UntilTheTaskEnds()
    {
        var mark = host.OutputMark;
        var project = "interop-buf-" + Guid.NewGuid().ToString("N");
        using var start = await CallAsync("eventlog.v1.TaskLogService/StartTask", $$"""{"project": "{{project}}", "app": "kimchi", "targetUri": "/interop/buf"}""");
        AssertExit(start, 0);
        using var started = JsonDocument.Parse(start.StandardOutput);
        var taskId = started.RootElement.GetProperty("task").GetProperty("id").GetString();
        // Two request messages on one client stream: buf sends each JSON document as a message.
        using var append = await CallAsync("eventlog.v1.TaskLogService/AppendTaskLog",
            $$"""{"project": "{{project}}", "taskId": "{{taskId}}", "lines": ["one", "two"]} {"lines": ["three"]}""");
        AssertExit(append, 0);

        using var tail = ChildProcess.Start(
            ExternalTools.SkipUnlessBuf(),
            Curl(["-H", "authorization: Bearer " + host.Token, "-d", $$"""{"project": "{{project}}", "taskId": "{{taskId}}", "follow": true}""", $"{host.Address}/eventlog.v1.TaskLogService/TailTaskLog"]),
            lineWatch: line => line.Contains("\"three\"", StringComparison.Ordinal));
        // The stored lines arrive while the task still runs: the stream is open and following.
        await tail.WaitForLineAsync(TimeSpan.FromSeconds(30));
        Assert.False(tail.HasExited, $"the tail ended while the task was running:\n{tail.Output}");
        using var complete = await CallAsync("eventlog.v1.TaskLogService/CompleteTask", $$"""{"project": "{{project}}", "taskId": "{{taskId}}"}""");
        AssertExit(complete, 0);
        await tail.WaitForExitAsync(TimeSpan.FromSeconds(30));

        AssertExit(tail, 0);
        var responses = ReadJsonValues(tail.StandardOutput);
        var lines = responses.Where(r => r.TryGetProperty("lines", out _)).SelectMany(r => r.GetProperty("lines").GetProperty("lines").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(["one", "two", "three"], lines);
        var ended = responses[^1].GetProperty("taskEnded");
        Assert.Equal("TASK_STATE_SUCCEEDED", ended.GetProperty("state").GetString());
        await host.AssertNoErrorLogsAsync(mark);
    }

    [SkippableFact]
    public async Task BufCurl_NegativePageSize_IsInvalidArgument_WithErrorInfoAndBadRequest()
    {
        using var curl = await CallAsync("eventlog.v1.MessagesService/ListMessages", """{"pageSize": -1}""");

        // buf curl exits with the gRPC code shifted left by three and prints the status as JSON on stderr.
        AssertExit(curl, 3 << 3);
        using var json = JsonDocument.Parse(Stderr(curl));
        var error = json.RootElement;
        Assert.Equal("invalid_argument", error.GetProperty("code").GetString());
        Assert.Equal("page_size: must not be negative", error.GetProperty("message").GetString());
        var details = error.GetProperty("details").EnumerateArray().ToDictionary(d => d.GetProperty("type").GetString()!, d => Base64(d.GetProperty("value").GetString()!));
        var info = ErrorInfo.Parser.ParseFrom(details["google.rpc.ErrorInfo"]);
        Assert.Equal(("INVALID_ARGUMENT", "eventlog.v1"), (info.Reason, info.Domain));
        var violation = Assert.Single(BadRequest.Parser.ParseFrom(details["google.rpc.BadRequest"]).FieldViolations);
        Assert.Equal("page_size", violation.Field);
    }

    [SkippableFact]
    public async Task BufCurl_WithoutToken_IsUnauthenticated()
    {
        using var curl = await RunAsync(["-d", "{}", $"{host.Address}/eventlog.v1.MessagesService/ListMessages"]);

        AssertExit(curl, 16 << 3);
        using var json = JsonDocument.Parse(Stderr(curl));
        Assert.Equal("unauthenticated", json.RootElement.GetProperty("code").GetString());
    }

    private Task<ChildProcess> CallAsync(string method, string requestJson) =>
        RunAsync(["-H", "authorization: Bearer " + host.Token, "-d", requestJson, $"{host.Address}/{method}"]);

    private static Task<ChildProcess> RunAsync(string[] arguments) =>
        ChildProcess.RunAsync(ExternalTools.SkipUnlessBuf(), Curl(arguments), TimeSpan.FromSeconds(60));

    private static string[] Curl(string[] arguments) => ["curl", "--protocol", "grpc", "--http2-prior-knowledge", "--connect-timeout", "10", .. arguments];

    private static void AssertExit(ChildProcess curl, int expected) =>
        Assert.True(curl.ExitCode == expected, $"`{curl.CommandLine}` exited {curl.ExitCode}, expected {expected}:\n{curl.Output}");

    private static string Stderr(ChildProcess curl) =>
        string.Join('\n', curl.Output.Split('\n').Where(l => l.StartsWith("[stderr] ", StringComparison.Ordinal)).Select(l => l["[stderr] ".Length..]));

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // Connect's error JSON carries detail bytes as base64 without padding.
    private static ByteString Base64(string value) => ByteString.FromBase64(value.PadRight(value.Length + ((4 - (value.Length % 4)) % 4), '='));

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
}
