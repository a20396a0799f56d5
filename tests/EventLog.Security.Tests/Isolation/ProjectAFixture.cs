using System.Security.Cryptography;
using System.Text;
using EventLog.V1;
using Google.Protobuf;

namespace EventLog.Security.Tests.Isolation;

/// <summary>
/// One server with a resource of every kind in project A (a request entry, a running task with log lines, a
/// user message, a provisioning plan with events, a guest log catalog with published data and a hidden log),
/// all carrying <see cref="Secret"/> in the data only project A may see.
/// </summary>
public sealed class ProjectAFixture : IAsyncLifetime
{
    /// <summary>
    /// Appears in project A's data and never in a request (ids and target uris are sent by the matrix, so they
    /// never carry it), so finding it in a response is a leak.
    /// </summary>
    public const string Secret = "zza-secret";

    private EventLogHost? _server;

    public EventLogHost Server => _server ?? throw new InvalidOperationException("Not started.");

    /// <summary>Project A's resources (with an empty project: the caller's own).</summary>
    public Target A { get; private set; } = new();

    /// <summary>The hidden (not exposed) SYS log of A's instance.</summary>
    public string HiddenLogName { get; } = "zza-hidden";

    private string _snapshot = "";

    public async Task InitializeAsync()
    {
        _server = await EventLogHost.StartAsync(new Dictionary<string, string?>
        {
            // The matrix makes many calls as one principal; limits are tested elsewhere.
            ["Limits:WritesPerSecondPerPrincipal"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        A = await SeedAsync();
        _snapshot = await SnapshotAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Fails when anything of project A changed since seeding (a write or delete got through).</summary>
    public async Task AssertProjectAUnchangedAsync(string because)
    {
        var now = await SnapshotAsync();
        Assert.True(_snapshot == now, $"Project A changed after {because}:\nbefore: {_snapshot}\nafter:  {now}");
    }

    private async Task<Target> SeedAsync()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var agent = Server.CreateChannel(TestTokens.AgentA);
        var tasks = new TaskLogService.TaskLogServiceClient(agent);
        var requestId = $"zza-req-{run}";
        var deadline = TestTimeouts.Deadline();
        await tasks.RecordRequestAsync(new RecordRequestRequest
        {
            RequestId = requestId,
            Kind = RequestKind.Post,
            User = $"{Secret}-user",
            ClientIp = "10.9.9.9",
            Status = 202,
            App = "kimchi",
            MessageCode = "KCHVM0003L",
            MessageParams = { ["name"] = $"{Secret}-vm" },
        }, deadline: deadline);
        var started = await tasks.StartTaskAsync(new StartTaskRequest
        {
            RequestId = $"zza-start-{run}",
            App = "kimchi",
            TargetUri = $"/plugins/kimchi/vms/zza-vm-{run}/clone",
            SpawningRequestId = requestId,
        }, deadline: deadline);
        using (var append = tasks.AppendTaskLog(deadline: deadline))
        {
            await append.RequestStream.WriteAsync(new AppendTaskLogRequest { TaskId = started.Task.Id, Lines = { $"{Secret}-line 1", $"{Secret}-line 2" } }).WithTimeout();
            await append.RequestStream.CompleteAsync().WithTimeout();
            await append.ResponseAsync.WithTimeout();
        }

        var messages = new MessagesService.MessagesServiceClient(agent);
        var message = await messages.CreateMessageAsync(new CreateMessageRequest
        {
            RequestId = requestId,
            ActionCode = "001",
            DetailCode = "001",
            Level = MessageLevel.Error,
            ResourceType = "volume",
            ResourceUuid = Guid.NewGuid().ToString(),
            Host = $"{Secret}-host",
        }, deadline: deadline);

        var provisioning = new ProvisioningService.ProvisioningServiceClient(agent);
        var clusterId = $"zza-cluster-{run}";
        var plan = await provisioning.DeclarePlanAsync(new DeclarePlanRequest
        {
            RequestId = $"zza-plan-{run}",
            ClusterId = clusterId,
            StepType = StepType.Creating,
            Steps = { new PlannedStep { Name = $"{Secret}-step", Total = 3 } },
        }, deadline: deadline);
        var stepId = plan.Steps[0].Id;
        await provisioning.StartStepAsync(new StartStepRequest { StepId = stepId }, deadline: deadline);
        await provisioning.RecordEventsAsync(new RecordEventsRequest
        {
            RequestId = $"zza-events-{run}",
            StepId = stepId,
            Events = { new ProvisionEvent { NodeGroupId = "ng", InstanceId = $"{Secret}-instance", InstanceName = $"{Secret}-node-1", Successful = true, Info = $"{Secret}-info" } },
        }, deadline: deadline);

        var guestLogs = new GuestLogsService.GuestLogsServiceClient(agent);
        var instanceId = $"zza-instance-{run}";
        var data = Encoding.UTF8.GetBytes($"{Secret}-data first line\n{Secret}-data second line\n");
        await guestLogs.RegisterLogsAsync(new RegisterLogsRequest
        {
            InstanceId = instanceId,
            Datastore = "mysql",
            Logs =
            {
                new GuestLogDefinition { Name = "zza-general", Type = GuestLogType.User, File = $"/var/log/{Secret}.log", Exposed = true, Enabled = true, FileExists = true, FileSize = data.Length },
                new GuestLogDefinition { Name = HiddenLogName, Type = GuestLogType.Sys, File = $"/var/log/{Secret}-hidden.log", Exposed = false, Enabled = true, FileExists = true, FileSize = data.Length },
            },
        }, deadline: deadline);
        foreach (var log in new[] { "zza-general", HiddenLogName })
        {
            using var upload = guestLogs.UploadLog(deadline: deadline);
            var firstLine = data.AsSpan(0, Array.IndexOf(data, (byte)'\n'));
            await upload.RequestStream.WriteAsync(new UploadLogRequest
            {
                Header = new UploadLogHeader { InstanceId = instanceId, LogName = log, Offset = 0, FileSize = data.Length, FirstLineHash = Convert.ToHexStringLower(SHA256.HashData(firstLine)) },
            }).WithTimeout();
            await upload.RequestStream.WriteAsync(new UploadLogRequest { Data = ByteString.CopyFrom(data) }).WithTimeout();
            await upload.RequestStream.CompleteAsync().WithTimeout();
            await upload.ResponseAsync.WithTimeout();
        }

        return new Target
        {
            TaskId = started.Task.Id,
            RequestId = requestId,
            MessageId = message.Message.Id,
            ClusterId = clusterId,
            StepId = stepId,
            InstanceId = instanceId,
            LogName = "zza-general",
            CommandId = "zza-command-" + run,
            App = "kimchi",
            TargetUri = $"/plugins/kimchi/vms/zza-vm-{run}/clone",
        };
    }

    /// <summary>What project A looks like to the admin, without fields that move on their own (durations, heartbeats).</summary>
    private async Task<string> SnapshotAsync()
    {
        var admin = Server.CreateChannel(TestTokens.Admin);
        var deadline = TestTimeouts.Deadline();
        var task = (await new TaskLogService.TaskLogServiceClient(admin).GetTaskAsync(new GetTaskRequest { Project = TestTokens.ProjectA, TaskId = A.TaskId }, deadline: deadline)).Task;
        var requests = await new TaskLogService.TaskLogServiceClient(admin).ListRequestsAsync(new ListRequestsRequest { Project = TestTokens.ProjectA, PageSize = 100 }, deadline: deadline);
        var message = (await new MessagesService.MessagesServiceClient(admin).GetMessageAsync(new GetMessageRequest { Project = TestTokens.ProjectA, Id = A.MessageId }, deadline: deadline)).Message;
        var messages = await new MessagesService.MessagesServiceClient(admin).ListMessagesAsync(new ListMessagesRequest { Project = TestTokens.ProjectA, PageSize = 100 }, deadline: deadline);
        var progress = await new ProvisioningService.ProvisioningServiceClient(admin).GetProgressAsync(new GetProgressRequest { Project = TestTokens.ProjectA, ClusterId = A.ClusterId }, deadline: deadline);
        var logs = await new GuestLogsService.GuestLogsServiceClient(admin).ListLogsAsync(new ListLogsRequest { Project = TestTokens.ProjectA, InstanceId = A.InstanceId }, deadline: deadline);
        var text = new StringBuilder();
        text.Append($"task {task.State} cancel={task.CancelRequested} progress={task.ProgressPercent} lines={task.LineCount} v={task.Version}; ");
        text.Append($"requests {requests.Entries.Count}:{string.Join(",", requests.Entries.Select(e => e.Sequence + "/" + e.Outcome))}; ");
        text.Append($"message {message.Id} {message.DetailCode}; messages {messages.Messages.Count}; ");
        text.Append($"steps {string.Join(",", progress.Steps.Select(s => $"{s.Name}:{s.Completed}/{s.Total}:{s.Successful}:{s.FinishedAt is not null}"))} seq={progress.Sequence}; ");
        text.Append($"logs {string.Join(",", logs.Logs.Select(l => $"{l.Name}:{l.Status}:{l.PublishedBytes}:{l.LineCount}:{l.File}"))}");
        return text.ToString();
    }
}
