using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EventLog.V1;
using Google.Protobuf;
using Grpc.Net.Client;

namespace EventLog.Server.Tests.Rest;

/// <summary>
/// The curl examples of README.md's "Use the HTTP/JSON API" section, run with curl and bash as a user runs them,
/// against the built server as a child process with its HTTP/1.1 listener beside the gRPC one, after seeding
/// what they read. A user edits only the API and TOKEN lines; so does the test.
/// </summary>
public sealed partial class ReadmeRestExamplesTests
{
    private const string Section = "## Use the HTTP/JSON API";
    private static readonly TimeSpan BlockTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ReadmeCurlExamples_RunAgainstTheRealServer()
    {
        var blocks = ShellBlocks();
        Assert.True(blocks.Count >= 4, $"README.md's '{Section}' has {blocks.Count} sh blocks");
        var api = $"http://127.0.0.1:{FreePort.Next()}";
        await using var server = await EventLogProcess.StartAsync([new("Rest:Url", api)]);
        // Announced right after the gRPC addresses, which StartAsync waits for.
        Assert.True(await TestTimeouts.EventuallyAsync(() => server.Output.Contains($"EventLog HTTP/JSON API on {api} ", StringComparison.Ordinal)), server.Output);
        var channel = server.CreateChannel(TestTokens.Admin);
        var messages = await SeedAsync(channel);

        var outputs = new List<string>();
        foreach (var block in blocks)
        {
            var script = $"API={api}\nTOKEN={TestTokens.Admin}\n" + string.Join('\n', block.Split('\n').Where(l => !AssignsSession().IsMatch(l)));
            var (exitCode, output) = await Commands.RunAsync("bash", Commands.RepositoryRoot(), BlockTimeout, "-e", "-o", "pipefail", "-c", script);
            // A watch never ends by itself: its example stops it with --max-time, which curl reports as exit code 28.
            var timedOut = exitCode == 28 && block.Contains("--max-time", StringComparison.Ordinal);
            Assert.True(exitCode == 0 || timedOut, $"exit code {exitCode} of:\n{block}\n{output}");
            var values = JsonValues(output, block);
            Assert.NotEmpty(values);
            var errors = values.Where(v => v.ValueKind == JsonValueKind.Object && v.TryGetProperty("code", out _) && v.TryGetProperty("details", out _)).ToList();
            if (block.Contains("page_size=-1", StringComparison.Ordinal))
            {
                var error = Assert.Single(errors);
                Assert.Equal(3, error.GetProperty("code").GetInt32());
                Assert.Contains(error.GetProperty("details").EnumerateArray(), d => d.GetRawText().Contains("\"field\":\"page_size\"", StringComparison.Ordinal));
            }
            else
            {
                Assert.True(errors.Count == 0, $"errors from:\n{block}\n{output}");
            }
            outputs.Add(output);
        }

        var all = string.Join('\n', outputs);
        Assert.Contains("/v1/projects/{project}/messages", all, StringComparison.Ordinal);
        Assert.Contains(messages[0].Id, all, StringComparison.Ordinal);
        Assert.Contains("cloned disk 2 of 2", all, StringComparison.Ordinal);
        Assert.Contains("serving", all, StringComparison.Ordinal);
        Assert.Contains("Launching instances", all, StringComparison.Ordinal);
        // The actions took effect: the task is being cancelled, the newest message is gone, the general log is on.
        var tasks = new TaskLogService.TaskLogServiceClient(channel);
        Assert.True((await tasks.GetTaskAsync(new GetTaskRequest { Project = "demo", TaskId = 1 }, deadline: TestTimeouts.Deadline())).Task.CancelRequested);
        var left = await new MessagesService.MessagesServiceClient(channel).ListMessagesAsync(new ListMessagesRequest { Project = "demo" }, deadline: TestTimeouts.Deadline());
        Assert.Equal([messages[0].Id], left.Messages.Select(m => m.Id));
        var general = await new GuestLogsService.GuestLogsServiceClient(channel).GetLogAsync(new GetLogRequest { Project = "demo", InstanceId = "db-1", LogName = "general" }, deadline: TestTimeouts.Deadline());
        Assert.Equal(GuestLogStatus.Enabled, general.Log.Status);
    }

    /// <summary>The ```sh blocks of the section, in order.</summary>
    private static List<string> ShellBlocks()
    {
        var readme = File.ReadAllText(Path.Combine(Commands.RepositoryRoot(), "README.md"));
        var start = readme.IndexOf(Section + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no '{Section}' section");
        var end = readme.IndexOf("\n## ", start + Section.Length, StringComparison.Ordinal);
        var section = end < 0 ? readme[start..] : readme[start..end];
        return [.. ShellBlock().Matches(section).Select(m => m.Groups[1].Value.Trim())];
    }

    /// <summary>Every JSON value curl and jq printed, one after the other; fails on anything else.</summary>
    private static List<JsonElement> JsonValues(string output, string block)
    {
        var values = new List<JsonElement>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(output.Trim()), new JsonReaderOptions { AllowMultipleValues = true });
        try
        {
            while (JsonElement.TryParseValue(ref reader, out var value))
            {
                values.Add(value.Value);
            }
        }
        catch (JsonException ex)
        {
            Assert.Fail($"not JSON ({ex.Message}) from:\n{block}\n{output}");
        }
        return values;
    }

    /// <summary>What the examples read: two messages, a request and its running task 1, a finished task 2 with a log, a cluster, a guest log.</summary>
    private static async Task<List<Message>> SeedAsync(GrpcChannel channel)
    {
        var messages = new MessagesService.MessagesServiceClient(channel);
        var created = new List<Message>();
        foreach (var request in new[] { "req-web-1", "req-web-2" })
        {
            created.Add((await messages.CreateMessageAsync(new CreateMessageRequest
            {
                Project = "demo", RequestId = request, ActionCode = "001", DetailCode = "003", Level = MessageLevel.Error,
                ResourceType = "volume", ResourceUuid = Guid.NewGuid().ToString(),
            }, deadline: TestTimeouts.Deadline())).Message);
        }

        var tasks = new TaskLogService.TaskLogServiceClient(channel);
        await tasks.RecordRequestAsync(new RecordRequestRequest
        {
            Project = "demo", RequestId = "req-web-1", Kind = RequestKind.Post, Status = 202, App = "kimchi", User = "admin",
            MessageCode = "KCHVM0003L", MessageParams = { ["name"] = "web-1" },
        }, deadline: TestTimeouts.Deadline());
        var first = await tasks.StartTaskAsync(new StartTaskRequest { Project = "demo", App = "kimchi", TargetUri = "/plugins/kimchi/vms/web-1/clone", SpawningRequestId = "req-web-1" }, deadline: TestTimeouts.Deadline());
        var second = await tasks.StartTaskAsync(new StartTaskRequest { Project = "demo", App = "kimchi", TargetUri = "/plugins/kimchi/vms/web-2/clone" }, deadline: TestTimeouts.Deadline());
        Assert.Equal((1L, 2L), (first.Task.Id, second.Task.Id));
        using (var append = tasks.AppendTaskLog(deadline: TestTimeouts.Deadline()))
        {
            await append.RequestStream.WriteAsync(new AppendTaskLogRequest { Project = "demo", TaskId = 2, Lines = { "cloned disk 1 of 2", "cloned disk 2 of 2" } }).WithTimeout();
            await append.RequestStream.CompleteAsync().WithTimeout();
            await append.ResponseAsync.WithTimeout();
        }
        await tasks.CompleteTaskAsync(new CompleteTaskRequest { Project = "demo", TaskId = 2 }, deadline: TestTimeouts.Deadline());

        var provisioning = new ProvisioningService.ProvisioningServiceClient(channel);
        var plan = await provisioning.DeclarePlanAsync(new DeclarePlanRequest
        {
            Project = "demo", RequestId = "plan-1", ClusterId = "cluster-1", StepType = StepType.Creating, Steps = { new PlannedStep { Name = "Launching instances", Total = 2 } },
        }, deadline: TestTimeouts.Deadline());
        await provisioning.StartStepAsync(new StartStepRequest { Project = "demo", StepId = plan.Steps[0].Id }, deadline: TestTimeouts.Deadline());
        await provisioning.RecordEventsAsync(new RecordEventsRequest
        {
            Project = "demo", RequestId = "events-1", StepId = plan.Steps[0].Id, Events = { new ProvisionEvent { InstanceId = "vm-1", InstanceName = "cluster-1-node-1", Successful = true } },
        }, deadline: TestTimeouts.Deadline());

        var guestLogs = new GuestLogsService.GuestLogsServiceClient(channel);
        await guestLogs.RegisterLogsAsync(new RegisterLogsRequest
        {
            Project = "demo", InstanceId = "db-1", Datastore = "mysql", Logs =
            {
                new GuestLogDefinition { Name = "guest", Type = GuestLogType.Sys, File = "/var/log/trove/guest.log", Exposed = true, Enabled = true, FileExists = true },
                new GuestLogDefinition { Name = "general", Type = GuestLogType.User, File = "/var/log/mysql/general.log", Exposed = true, FileExists = true },
            },
        }, deadline: TestTimeouts.Deadline());
        var file = "boot\nready\nserving\n"u8.ToArray();
        using var upload = guestLogs.UploadLog(deadline: TestTimeouts.Deadline());
        await upload.RequestStream.WriteAsync(new UploadLogRequest { Header = new UploadLogHeader { Project = "demo", InstanceId = "db-1", LogName = "guest", FileSize = file.Length, FirstLineHash = GuestLogs.GuestLogTestAgent.FirstLineHash(file) } }).WithTimeout();
        await upload.RequestStream.WriteAsync(new UploadLogRequest { Data = ByteString.CopyFrom(file) }).WithTimeout();
        await upload.RequestStream.CompleteAsync().WithTimeout();
        await upload.ResponseAsync.WithTimeout();
        return created;
    }

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    [GeneratedRegex(@"^(API|TOKEN)=")]
    private static partial Regex AssignsSession();
}
