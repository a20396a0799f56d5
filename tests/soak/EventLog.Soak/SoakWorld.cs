using EventLog.Tests.Shared;
using Grpc.Net.Client;
using EventLog.V1;

namespace EventLog.Soak;

/// <summary>What the load works on: per project, running tasks and provisioning steps, and a channel per token.</summary>
public sealed class SoakWorld : IDisposable
{
    private readonly List<GrpcChannel> _channels = [];

    public required int Projects { get; init; }

    public List<(int Project, long TaskId)> Tasks { get; } = [];

    public List<(int Project, string ClusterId, string StepId)> Steps { get; } = [];

    public GrpcChannel[] Agents { get; private set; } = [];

    public GrpcChannel[] Readers { get; private set; } = [];

    public static async Task<SoakWorld> CreateAsync(Uri address, ProjectTokens tokens, int projects)
    {
        var world = new SoakWorld { Projects = projects };
        world.Agents = Enumerable.Range(0, projects).Select(p => world.Channel(address, tokens.Agent(p))).ToArray();
        world.Readers = Enumerable.Range(0, projects).Select(p => world.Channel(address, tokens.Reader(p))).ToArray();
        for (var p = 0; p < projects; p++)
        {
            var tasks = new TaskLogService.TaskLogServiceClient(world.Agents[p]);
            var provisioning = new ProvisioningService.ProvisioningServiceClient(world.Agents[p]);
            for (var t = 0; t < 10; t++)
            {
                var started = await tasks.StartTaskAsync(new StartTaskRequest { RequestId = $"soak-task-{p}-{t}", App = "kimchi", TargetUri = $"/soak/{p}/{t}" }, deadline: Deadline());
                world.Tasks.Add((p, started.Task.Id));
            }
            for (var c = 0; c < 5; c++)
            {
                var cluster = $"soak-cluster-{p}-{c}-{Guid.NewGuid():N}";
                var plan = await provisioning.DeclarePlanAsync(new DeclarePlanRequest
                {
                    RequestId = "plan-" + cluster,
                    ClusterId = cluster,
                    StepType = StepType.Creating,
                    Steps = { new PlannedStep { Name = "Waiting for instances" } },
                }, deadline: Deadline());
                await provisioning.StartStepAsync(new StartStepRequest { StepId = plan.Steps[0].Id }, deadline: Deadline());
                world.Steps.Add((p, cluster, plan.Steps[0].Id));
            }
        }
        return world;
    }

    public static DateTime Deadline() => TestTimeouts.Deadline(30);

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }

    private GrpcChannel Channel(Uri address, string token)
    {
        var channel = TestChannels.Create(address, token);
        _channels.Add(channel);
        return channel;
    }
}
