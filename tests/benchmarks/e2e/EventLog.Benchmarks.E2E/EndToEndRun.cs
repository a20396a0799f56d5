using EventLog.Rpc.Client;
using EventLog.V1;
using Grpc.Core;

namespace EventLog.Benchmarks.E2E;

/// <summary>The mixed workload over gRPC against the server process: the writes, plus listers and followers reading alongside.</summary>
public static class EndToEndRun
{
    /// <summary>The writes (only successful ones count towards the rate), and the lists, stream messages and failed lists alongside.</summary>
    public static async Task<(Measurement Writes, long Lists, long Delivered, long ListErrors)> RunAsync(BenchOptions options, string dataDirectory)
    {
        await using var server = await ServerProcess.StartAsync(options, dataDirectory);
        var agents = Enumerable.Range(0, options.Projects).Select(p => ServerProcess.Channel(server.Address, ServerProcess.AgentToken(p))).ToArray();
        var readers = Enumerable.Range(0, options.Projects).Select(p => ServerProcess.Channel(server.Address, ServerProcess.ReaderToken(p))).ToArray();
        try
        {
            var tasks = new long[options.Projects];
            var steps = new string[options.Projects];
            for (var p = 0; p < options.Projects; p++)
            {
                tasks[p] = (await new TaskLogService.TaskLogServiceClient(agents[p]).StartTaskAsync(new StartTaskRequest { RequestId = "bench-task", App = "kimchi", TargetUri = $"/bench/{p}" }, deadline: Deadline())).Task.Id;
                var plan = await new ProvisioningService.ProvisioningServiceClient(agents[p]).DeclarePlanAsync(new DeclarePlanRequest
                {
                    RequestId = "bench-plan",
                    ClusterId = $"bench-cluster-{p}",
                    StepType = StepType.Creating,
                    Steps = { new PlannedStep { Name = "Waiting for instances" } },
                }, deadline: Deadline());
                steps[p] = plan.Steps[0].Id;
                await new ProvisioningService.ProvisioningServiceClient(agents[p]).StartStepAsync(new StartStepRequest { StepId = steps[p] }, deadline: Deadline());
            }

            long lists = 0, delivered = 0, listErrors = 0;
            using var stopReaders = new CancellationTokenSource();
            var followers = Enumerable.Range(0, options.Followers).Select(f => FollowAsync(f, readers[f % options.Projects], tasks[f % options.Projects], () => Interlocked.Increment(ref delivered), stopReaders.Token)).ToArray();
            var listing = PacedAsync(options.ListsPerSecond, async i =>
            {
                var reader = readers[(int)(i % options.Projects)];
                try
                {
                    if (i % 2 == 0)
                    {
                        await new MessagesService.MessagesServiceClient(reader).ListMessagesAsync(new ListMessagesRequest { PageSize = 50 }, deadline: Deadline());
                    }
                    else
                    {
                        await new TaskLogService.TaskLogServiceClient(reader).ListRequestsAsync(new ListRequestsRequest { PageSize = 50 }, deadline: Deadline());
                    }
                    Interlocked.Increment(ref lists);
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref listErrors);
                }
            }, stopReaders.Token);

            var rate = await WriteMix.MeasureAsync(options.Writers, options.WarmUp, options.Duration, async i =>
            {
                var p = (int)(i / 4 % options.Projects);
                try
                {
                    await WriteAsync(agents[p], tasks[p], steps[p], i);
                    return true;
                }
                catch (RpcException)
                {
                    return false;
                }
            }, server.Process);
            await stopReaders.CancelAsync();
            await Task.WhenAll(followers.Append(listing)).WaitAsync(TimeSpan.FromSeconds(60));
            return (rate, lists, delivered, listErrors);
        }
        finally
        {
            foreach (var channel in agents.Concat(readers))
            {
                channel.Dispose();
            }
        }
    }

    private static async Task WriteAsync(GrpcChannel agent, long task, string step, long i)
    {
        switch (WriteMix.KindOf(i))
        {
            case WriteKind.Message:
                await new MessagesService.MessagesServiceClient(agent).CreateMessageAsync(new CreateMessageRequest
                {
                    RequestId = $"bench-{i}", ActionCode = "001", DetailCode = "001", Level = MessageLevel.Error,
                    ResourceType = "volume", ResourceUuid = Guid.NewGuid().ToString(), Host = "node-1",
                }, deadline: Deadline());
                break;
            case WriteKind.Request:
                await new TaskLogService.TaskLogServiceClient(agent).RecordRequestAsync(new RecordRequestRequest
                {
                    RequestId = $"bench-{i}", Kind = RequestKind.Post, User = "user", ClientIp = "10.0.0.1", Status = 200, App = "kimchi",
                    MessageCode = "KCHVM0003L", MessageParams = { ["name"] = $"vm-{i}" },
                }, deadline: Deadline());
                break;
            case WriteKind.Lines:
            {
                using var call = new TaskLogService.TaskLogServiceClient(agent).AppendTaskLog(deadline: Deadline());
                await call.RequestStream.WriteAsync(new AppendTaskLogRequest { TaskId = task, Lines = { RawStorageRun.Lines(i) } });
                await call.RequestStream.CompleteAsync();
                await call.ResponseAsync;
                break;
            }
            default:
                await new ProvisioningService.ProvisioningServiceClient(agent).RecordEventsAsync(new RecordEventsRequest
                {
                    RequestId = $"bench-{i}", StepId = step,
                    Events = { new ProvisionEvent { NodeGroupId = "workers", InstanceId = $"i-{i}", InstanceName = $"node-{i}", Successful = true, Info = "ssh ok" } },
                }, deadline: Deadline());
                break;
        }
    }

    /// <summary>Half the followers watch a project's messages, half tail its task log.</summary>
    private static async Task FollowAsync(int f, GrpcChannel reader, long task, Action received, CancellationToken stop)
    {
        try
        {
            if (f % 2 == 0)
            {
                using var call = new MessagesService.MessagesServiceClient(reader).WatchMessages(new WatchMessagesRequest(), cancellationToken: stop);
                while (await call.ResponseStream.MoveNext(CancellationToken.None))
                {
                    received();
                }
            }
            else
            {
                using var call = new TaskLogService.TaskLogServiceClient(reader).TailTaskLog(new TailTaskLogRequest { TaskId = task, Follow = true }, cancellationToken: stop);
                while (await call.ResponseStream.MoveNext(CancellationToken.None))
                {
                    received();
                }
            }
        }
        catch (RpcException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Runs operation i at start + i / rate (a few at a time) until <paramref name="stop"/>; a rate of 0 runs nothing.</summary>
    private static Task PacedAsync(double perSecond, Func<long, Task> operation, CancellationToken stop)
    {
        if (perSecond <= 0)
        {
            return Task.CompletedTask;
        }
        long next = -1;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        return Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                var due = TimeSpan.FromSeconds(i / perSecond) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
                if (!stop.IsCancellationRequested)
                {
                    await operation(i);
                }
            }
        })));
    }

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(30);
}
