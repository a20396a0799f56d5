using EventLog.V1;

namespace EventLog.Server.Tests.TaskLog;

/// <summary>A test server with short heartbeats and TaskLog clients per role; every call has a deadline.</summary>
public sealed class TaskLogTestKit : IAsyncDisposable
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    private TaskLogTestKit(EventLogHost server)
    {
        Server = server;
        Agent = new TaskLogService.TaskLogServiceClient(server.CreateChannel(TestTokens.AgentA));
        Reader = new TaskLogService.TaskLogServiceClient(server.CreateChannel(TestTokens.ReaderA));
        Member = new TaskLogService.TaskLogServiceClient(server.CreateChannel(TestTokens.MemberA));
        ReaderB = new TaskLogService.TaskLogServiceClient(server.CreateChannel(TestTokens.ReaderB));
        Admin = new TaskLogService.TaskLogServiceClient(server.CreateChannel(TestTokens.Admin));
    }

    public EventLogHost Server { get; }
    public TaskLogService.TaskLogServiceClient Agent { get; }
    public TaskLogService.TaskLogServiceClient Reader { get; }
    public TaskLogService.TaskLogServiceClient Member { get; }
    public TaskLogService.TaskLogServiceClient ReaderB { get; }
    public TaskLogService.TaskLogServiceClient Admin { get; }

    /// <summary>A deadline for one call.</summary>
    public static DateTime Deadline => TestTimeouts.Deadline(CallTimeout.TotalSeconds);

    public static Task<TaskLogTestKit> StartAsync(params (string Key, string Value)[] settings) => StartAsync(null, settings);

    /// <summary>Like <see cref="StartAsync(ValueTuple{string, string}[])"/>, replacing registrations (e.g. the clock) after the server's.</summary>
    public static async Task<TaskLogTestKit> StartAsync(Action<IServiceCollection>? configureServices, params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["TaskLog:HeartbeatInterval"] = "00:00:00.200",
            ["Storage:ChangePollInterval"] = "00:00:00.500",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return new TaskLogTestKit(await EventLogHost.StartAsync(all, configureServices));
    }

    public Task<RecordRequestResponse> RecordAsync(string requestId, string code = "KCHVM0003L", int status = 202, RequestKind kind = RequestKind.Post, params (string Key, string Value)[] parameters)
    {
        var request = new RecordRequestRequest
        {
            RequestId = requestId, Kind = kind, Status = status, App = "kimchi", User = "admin", ClientIp = "192.168.1.5",
            MessageCode = code, TimeZone = "America/Sao_Paulo",
        };
        foreach (var (key, value) in parameters.Length == 0 ? [("name", "vm1")] : parameters)
        {
            request.MessageParams[key] = value;
        }

        return Agent.RecordRequestAsync(request, deadline: Deadline).ResponseAsync;
    }

    public async Task<AsyncTask> StartTaskAsync(string target = "/plugins/kimchi/vms/vm1/clone", string spawningRequestId = "", bool queued = false) =>
        (await Agent.StartTaskAsync(new StartTaskRequest { App = "kimchi", TargetUri = target, SpawningRequestId = spawningRequestId, Queued = queued }, deadline: Deadline)).Task;

    public async Task<AppendTaskLogResponse> AppendAsync(long taskId, long firstLineNumber, params string[] lines)
    {
        using var call = Agent.AppendTaskLog(deadline: Deadline);
        var batch = new AppendTaskLogRequest { TaskId = taskId, FirstLineNumber = firstLineNumber };
        batch.Lines.Add(lines);
        await call.RequestStream.WriteAsync(batch).WaitAsync(CallTimeout);
        await call.RequestStream.CompleteAsync().WaitAsync(CallTimeout);
        return await call.ResponseAsync.WaitAsync(CallTimeout);
    }

    /// <summary>Reads the next stream message, failing the test after the timeout instead of hanging.</summary>
    public static Task<T?> NextAsync<T>(IAsyncStreamReader<T> stream, TimeSpan? timeout = null)
        where T : class => stream.ReadNextAsync(timeout ?? CallTimeout);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
