using EventLog.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventLog.Benchmarks.E2E;

/// <summary>The same writes straight into the storage layer: no gRPC, no services, no network.</summary>
public static class RawStorageRun
{
    public static async Task<Measurement> RunAsync(BenchOptions options, string dataDirectory)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DataDirectory"] = dataDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddEventLogStorage(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync();
        var messages = host.Services.GetRequiredService<IMessageRepository>();
        var taskLog = host.Services.GetRequiredService<ITaskLogRepository>();
        var provisioning = host.Services.GetRequiredService<IProvisioningRepository>();

        var tasks = new long[options.Projects];
        var steps = new long[options.Projects];
        for (var p = 0; p < options.Projects; p++)
        {
            tasks[p] = (await taskLog.StartTaskAsync(new StartTaskRequest { Project = Project(p), App = "kimchi", TargetUri = $"/bench/{p}" })).Id;
            var plan = await provisioning.DeclarePlanAsync(Project(p), $"bench-cluster-{p}", ProvisioningStepType.Creating, [new PlannedStep("Waiting for instances", 0)]);
            steps[p] = plan[0].Id;
            await provisioning.StartStepAsync(steps[p]);
        }

        var result = await WriteMix.MeasureAsync(options.Writers, options.WarmUp, options.Duration, async i =>
        {
            var p = (int)(i / 4 % options.Projects);
            switch (WriteMix.KindOf(i))
            {
                case WriteKind.Message:
                    await messages.CreateAsync(new NewUserMessage
                    {
                        Project = Project(p), RequestId = $"bench-{i}", ActionCode = "001", DetailCode = "001", Level = MessageLevel.Error,
                        ResourceType = "volume", ResourceUuid = Guid.NewGuid().ToString(), Host = "node-1", IdempotencyKey = $"bench-{i}",
                    });
                    break;
                case WriteKind.Request:
                    await taskLog.RecordRequestAsync(new NewRequestLogEntry
                    {
                        Project = Project(p), Kind = "POST", UserName = "user", ClientIp = "10.0.0.1", Status = 200, App = "kimchi",
                        MessageCode = "KCHVM0003L", MessageParams = $"{{\"name\":\"vm-{i}\"}}", RequestId = $"bench-{i}", IdempotencyKey = $"bench-{i}",
                    });
                    break;
                case WriteKind.Lines:
                    await taskLog.AppendLinesAsync(tasks[p], Lines(i));
                    break;
                default:
                    await provisioning.AddEventsAsync(steps[p], [new NewProvisioningEvent { NodeGroup = "workers", InstanceId = $"i-{i}", InstanceName = $"node-{i}", Info = "ssh ok" }], $"bench-{i}");
                    break;
            }
            // A storage error ends the run: the raw side is the baseline and must not fail.
            return true;
        });
        await host.StopAsync();
        return result;
    }

    public static string Project(int p) => $"bench-{p}";

    public static List<string> Lines(long i) => [.. Enumerable.Range(0, 5).Select(n => $"2024-01-01 12:00:00 INFO step {i}.{n} ok: [node-{n}] => changed=false")];
}
