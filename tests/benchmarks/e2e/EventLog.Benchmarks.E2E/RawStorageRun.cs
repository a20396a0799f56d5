using EventLog.Storage;
using EventLog.Storage.Messages;
using EventLog.Storage.Provisioning;
using EventLog.Storage.TaskLog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventLog.Benchmarks.E2E;

/// <summary>The same writes straight into the storage layer: no gRPC, no services, no network. Kept open across windows.</summary>
public sealed class RawStorageRun : IAsyncDisposable
{
    private readonly BenchOptions _options;
    private readonly IHost _host;
    private readonly IMessageRepository _messages;
    private readonly ITaskLogRepository _taskLog;
    private readonly IProvisioningRepository _provisioning;
    private readonly WriteIndexes _indexes = new();
    private readonly long[] _tasks;
    private readonly long[] _steps;

    private RawStorageRun(BenchOptions options, IHost host)
    {
        _options = options;
        _host = host;
        _messages = host.Services.GetRequiredService<IMessageRepository>();
        _taskLog = host.Services.GetRequiredService<ITaskLogRepository>();
        _provisioning = host.Services.GetRequiredService<IProvisioningRepository>();
        _tasks = new long[options.Projects];
        _steps = new long[options.Projects];
    }

    public static async Task<RawStorageRun> StartAsync(BenchOptions options, string dataDirectory)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DataDirectory"] = dataDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddEventLogStorage(builder.Configuration);
        var run = new RawStorageRun(options, builder.Build());
        await run._host.StartAsync();
        for (var p = 0; p < options.Projects; p++)
        {
            run._tasks[p] = (await run._taskLog.StartTaskAsync(new StartTaskRequest { Project = Project(p), App = "kimchi", TargetUri = $"/bench/{p}" })).Id;
            var plan = await run._provisioning.DeclarePlanAsync(Project(p), $"bench-cluster-{p}", ProvisioningStepType.Creating, [new PlannedStep("Waiting for instances", 0)]);
            run._steps[p] = plan[0].Id;
            await run._provisioning.StartStepAsync(run._steps[p]);
        }

        return run;
    }

    /// <summary>The writers for <paramref name="warmUp"/> + <paramref name="duration"/>; the rate of the second part.</summary>
    public Task<Measurement> MeasureAsync(TimeSpan warmUp, TimeSpan duration) =>
        WriteMix.MeasureAsync(_options.Writers, warmUp, duration, _indexes, async i =>
        {
            await WriteAsync(i);
            // A storage error ends the run: the raw side is the baseline and must not fail.
            return true;
        });

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    public static string Project(int p) => $"bench-{p}";

    public static List<string> Lines(long i) => [.. Enumerable.Range(0, 5).Select(n => $"2024-01-01 12:00:00 INFO step {i}.{n} ok: [node-{n}] => changed=false")];

    private Task WriteAsync(long i)
    {
        var p = (int)(i / 4 % _options.Projects);
        return WriteMix.KindOf(i) switch
        {
            WriteKind.Message => _messages.CreateAsync(new NewUserMessage
            {
                Project = Project(p), RequestId = $"bench-{i}", ActionCode = "001", DetailCode = "001", Level = MessageLevel.Error,
                ResourceType = "volume", ResourceUuid = Guid.NewGuid().ToString(), Host = "node-1", IdempotencyKey = $"bench-{i}",
            }),
            WriteKind.Request => _taskLog.RecordRequestAsync(new NewRequestLogEntry
            {
                Project = Project(p), Kind = "POST", UserName = "user", ClientIp = "10.0.0.1", Status = 200, App = "kimchi",
                MessageCode = "KCHVM0003L", MessageParams = $"{{\"name\":\"vm-{i}\"}}", RequestId = $"bench-{i}", IdempotencyKey = $"bench-{i}",
            }),
            WriteKind.Lines => _taskLog.AppendLinesAsync(_tasks[p], Lines(i)),
            _ => _provisioning.AddEventsAsync(_steps[p], [new NewProvisioningEvent { NodeGroup = "workers", InstanceId = $"i-{i}", InstanceName = $"node-{i}", Info = "ssh ok" }], $"bench-{i}"),
        };
    }
}
