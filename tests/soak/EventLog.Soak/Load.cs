using System.Diagnostics;
using EventLog.V1;
using Grpc.Core;

namespace EventLog.Soak;

/// <summary>Writes and lists at a steady pace, spread over the projects; every failed call is counted.</summary>
public sealed class Load(SoakWorld world, SoakStats stats)
{
    private const int Workers = 16;

    /// <summary>Runs <paramref name="perSecond"/> operations a second until <paramref name="stop"/>, op i at start + i / rate.</summary>
    public static Task PacedAsync(double perSecond, Func<long, Task> operation, CancellationToken stop)
    {
        long next = -1;
        var clock = Stopwatch.StartNew();
        return Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                var due = TimeSpan.FromSeconds(i / perSecond) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(due, stop);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
                await operation(i);
            }
        })));
    }

    public async Task WriteAsync(long i)
    {
        var project = (int)(i % world.Projects);
        var agent = world.Agents[project];
        var what = (i / world.Projects % 5) switch { 0 => "CreateMessage", 1 => "RecordRequest", 2 => "AppendTaskLog", 3 => "RecordEvents", _ => "ReportTaskProgress" };
        try
        {
            switch (what)
            {
                case "CreateMessage":
                    await new MessagesService.MessagesServiceClient(agent).CreateMessageAsync(new CreateMessageRequest
                    {
                        RequestId = $"soak-{i}",
                        ActionCode = "001",
                        DetailCode = "001",
                        Level = MessageLevel.Warning,
                        ResourceType = "volume",
                        ResourceUuid = Guid.NewGuid().ToString(),
                        Host = "node-" + (i % 7),
                    }, deadline: SoakWorld.Deadline());
                    break;
                case "RecordRequest":
                    await new TaskLogService.TaskLogServiceClient(agent).RecordRequestAsync(new RecordRequestRequest
                    {
                        RequestId = $"soak-{i}",
                        Kind = RequestKind.Post,
                        User = "user-" + (i % 11),
                        ClientIp = "10.0.0." + (i % 250),
                        Status = 200,
                        App = "kimchi",
                        MessageCode = "KCHVM0003L",
                        MessageParams = { ["name"] = "vm-" + i },
                    }, deadline: SoakWorld.Deadline());
                    break;
                case "AppendTaskLog":
                {
                    var task = Pick(world.Tasks.Where(t => t.Project == project).ToList(), i).TaskId;
                    using var call = new TaskLogService.TaskLogServiceClient(agent).AppendTaskLog(deadline: SoakWorld.Deadline());
                    await call.RequestStream.WriteAsync(new AppendTaskLogRequest { TaskId = task, Lines = { Enumerable.Range(0, 5).Select(n => $"{DateTime.UtcNow:O} step {i}.{n} ok: [node-{n}]") } });
                    await call.RequestStream.CompleteAsync();
                    await call.ResponseAsync;
                    break;
                }
                case "RecordEvents":
                {
                    var step = Pick(world.Steps.Where(s => s.Project == project).ToList(), i).StepId;
                    await new ProvisioningService.ProvisioningServiceClient(agent).RecordEventsAsync(new RecordEventsRequest
                    {
                        RequestId = $"soak-{i}",
                        StepId = step,
                        Events = { new ProvisionEvent { NodeGroupId = "workers", InstanceId = $"i-{i}", InstanceName = $"node-{i}", Successful = true, Info = "ssh ok" } },
                    }, deadline: SoakWorld.Deadline());
                    break;
                }
                default:
                {
                    var task = Pick(world.Tasks.Where(t => t.Project == project).ToList(), i).TaskId;
                    await new TaskLogService.TaskLogServiceClient(agent).ReportTaskProgressAsync(new ReportTaskProgressRequest { TaskId = task, ProgressPercent = (int)(i % 100), ProgressMessage = "working" }, deadline: SoakWorld.Deadline());
                    break;
                }
            }
            stats.Wrote();
        }
        catch (RpcException ex)
        {
            stats.Error($"{what}: {ex.StatusCode} {ex.Status.Detail}");
        }
    }

    public async Task ListAsync(long i)
    {
        var project = (int)(i % world.Projects);
        var reader = world.Readers[project];
        var what = (i / world.Projects % 5) switch { 0 => "ListMessages", 1 => "ListRequests", 2 => "ListTasks", 3 => "GetProgress", _ => "ListEvents" };
        try
        {
            switch (what)
            {
                case "ListMessages":
                    var page = await new MessagesService.MessagesServiceClient(reader).ListMessagesAsync(new ListMessagesRequest { PageSize = 50 }, deadline: SoakWorld.Deadline());
                    if (page.NextPageToken.Length > 0)
                    {
                        await new MessagesService.MessagesServiceClient(reader).ListMessagesAsync(new ListMessagesRequest { PageSize = 50, PageToken = page.NextPageToken }, deadline: SoakWorld.Deadline());
                    }
                    break;
                case "ListRequests":
                    await new TaskLogService.TaskLogServiceClient(reader).ListRequestsAsync(new ListRequestsRequest { PageSize = 50, Filter = new RequestFilter { App = "kimchi" } }, deadline: SoakWorld.Deadline());
                    break;
                case "ListTasks":
                    await new TaskLogService.TaskLogServiceClient(reader).ListTasksAsync(new ListTasksRequest { PageSize = 50 }, deadline: SoakWorld.Deadline());
                    break;
                case "GetProgress":
                    await new ProvisioningService.ProvisioningServiceClient(reader).GetProgressAsync(new GetProgressRequest { ClusterId = Pick(world.Steps.Where(s => s.Project == project).ToList(), i).ClusterId }, deadline: SoakWorld.Deadline());
                    break;
                default:
                    await new ProvisioningService.ProvisioningServiceClient(reader).ListEventsAsync(new ListEventsRequest { ClusterId = Pick(world.Steps.Where(s => s.Project == project).ToList(), i).ClusterId, PageSize = 100 }, deadline: SoakWorld.Deadline());
                    break;
            }
            stats.Listed();
        }
        catch (RpcException ex)
        {
            stats.Error($"{what}: {ex.StatusCode} {ex.Status.Detail}");
        }
    }

    private static T Pick<T>(List<T> items, long i) => items[(int)(i / 7 % items.Count)];
}
