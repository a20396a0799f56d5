using EventLog.V1;
using Grpc.Core;

namespace EventLog.Soak;

/// <summary>
/// Long-lived watches and tails spread over the projects' streams. Each checks that what it receives continues
/// exactly where it left off (a gap or a repeat is an error), and reconnects from its last position if the
/// stream breaks (which is counted as an error too: nothing should break it during a soak).
/// </summary>
public sealed class Followers(SoakWorld world, SoakStats stats)
{
    /// <summary>Last sequence seen by each message follower, per project.</summary>
    public Dictionary<int, List<Func<long>>> MessagePositions { get; } = [];

    public Task RunAsync(int count, CancellationToken stop)
    {
        var runs = new List<Task>();
        for (var f = 0; f < count; f++)
        {
            var kind = f % 4;
            var project = f / 4 % world.Projects;
            runs.Add(kind switch
            {
                0 => FollowMessagesAsync(project, stop),
                1 => FollowLinesAsync(world.Tasks[f / 4 % world.Tasks.Count], stop),
                2 => FollowProgressAsync(world.Steps[f / 4 % world.Steps.Count], stop),
                _ => FollowTaskStateAsync(world.Tasks[f / 4 % world.Tasks.Count], stop),
            });
        }
        return Task.WhenAll(runs);
    }

    private Task FollowMessagesAsync(int project, CancellationToken stop)
    {
        long last = 0;
        lock (MessagePositions)
        {
            if (!MessagePositions.TryGetValue(project, out var list))
            {
                MessagePositions[project] = list = [];
            }
            list.Add(() => Volatile.Read(ref last));
        }
        var client = new MessagesService.MessagesServiceClient(world.Readers[project]);
        return FollowAsync("WatchMessages", stop, async () =>
        {
            using var call = client.WatchMessages(new WatchMessagesRequest { AfterSequence = Volatile.Read(ref last) }, cancellationToken: stop);
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                var update = call.ResponseStream.Current;
                if (update.Message is null)
                {
                    continue;
                }
                if (update.Sequence != last + 1)
                {
                    stats.Error($"WatchMessages: sequence {update.Sequence} after {last}");
                }
                Volatile.Write(ref last, update.Sequence);
                stats.Received();
            }
        });
    }

    private Task FollowLinesAsync((int Project, long TaskId) task, CancellationToken stop)
    {
        long last = 0;
        var client = new TaskLogService.TaskLogServiceClient(world.Readers[task.Project]);
        return FollowAsync("TailTaskLog", stop, async () =>
        {
            using var call = client.TailTaskLog(new TailTaskLogRequest { TaskId = task.TaskId, AfterLine = last, Follow = true }, cancellationToken: stop);
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                var lines = call.ResponseStream.Current.Lines;
                if (lines is null)
                {
                    continue;
                }
                if (lines.FirstLineNumber != last + 1)
                {
                    stats.Error($"TailTaskLog: line {lines.FirstLineNumber} after {last}");
                }
                last = lines.FirstLineNumber + lines.Lines.Count - 1;
                stats.Received();
            }
        });
    }

    private Task FollowProgressAsync((int Project, string ClusterId, string StepId) step, CancellationToken stop)
    {
        long last = 0;
        var client = new ProvisioningService.ProvisioningServiceClient(world.Readers[step.Project]);
        return FollowAsync("WatchProgress", stop, async () =>
        {
            using var call = client.WatchProgress(new WatchProgressRequest { ClusterId = step.ClusterId, AfterSequence = last }, cancellationToken: stop);
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                var update = call.ResponseStream.Current;
                if (update.Heartbeat is not null)
                {
                    continue;
                }
                if (update.Sequence <= last)
                {
                    stats.Error($"WatchProgress: sequence {update.Sequence} after {last}");
                }
                last = update.Sequence;
                stats.Received();
            }
        });
    }

    private Task FollowTaskStateAsync((int Project, long TaskId) task, CancellationToken stop)
    {
        long last = 0;
        var client = new TaskLogService.TaskLogServiceClient(world.Readers[task.Project]);
        return FollowAsync("WatchTaskState", stop, async () =>
        {
            using var call = client.WatchTaskState(new WatchTaskStateRequest { TaskId = task.TaskId, AfterSequence = last }, cancellationToken: stop);
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                var update = call.ResponseStream.Current;
                if (update.Task is null)
                {
                    continue;
                }
                if (update.Sequence <= last)
                {
                    stats.Error($"WatchTaskState: version {update.Sequence} after {last}");
                }
                last = update.Sequence;
                stats.Received();
            }
        });
    }

    /// <summary>Runs a follow loop, reconnecting after a break until <paramref name="stop"/>.</summary>
    private async Task FollowAsync(string what, CancellationToken stop, Func<Task> follow)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await follow();
                if (!stop.IsCancellationRequested)
                {
                    stats.Error($"{what}: stream ended");
                }
            }
            catch (RpcException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException ex)
            {
                stats.Error($"{what}: {ex.StatusCode} {ex.Status.Detail}");
                stats.Reconnected();
                await Task.Delay(500, CancellationToken.None);
            }
        }
    }
}
