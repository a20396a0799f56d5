using EventLog.Tests.Shared;
using Grpc.Net.Client;
using EventLog.V1;
using Grpc.Core;

namespace EventLog.Benchmarks.E2E;

/// <summary>
/// The mixed workload over gRPC against the server process, or several replicas of it on one database, kept running
/// across windows: the followers stay connected throughout; the writers and the listers run in the measured windows.
/// With several replicas the client spreads its calls over them in turn (write i, list i and follower f go to replica
/// i, i and f modulo their count).
/// </summary>
public sealed class EndToEndRun : IAsyncDisposable
{
    private readonly BenchOptions _options;
    private readonly EventLogProcess[] _servers;
    private readonly GrpcChannel[][] _agents;
    private readonly GrpcChannel[][] _readers;
    private readonly WriteIndexes _indexes = new();
    private readonly long[] _tasks;
    private readonly string[] _steps;
    private readonly CancellationTokenSource _stopFollowers = new();
    private Task[] _followers = [];
    private long _delivered;
    private long _listIndex = -1;

    private EndToEndRun(BenchOptions options, EventLogProcess[] servers, ProjectTokens tokens)
    {
        _options = options;
        _servers = servers;
        Tokens = tokens;
        _agents = [.. servers.Select(s => Enumerable.Range(0, options.Projects).Select(p => TestChannels.Create(s.Address, tokens.Agent(p))).ToArray())];
        _readers = [.. servers.Select(s => Enumerable.Range(0, options.Projects).Select(p => TestChannels.Create(s.Address, tokens.Reader(p))).ToArray())];
        _tasks = new long[options.Projects];
        _steps = new string[options.Projects];
    }

    /// <summary>The server processes (replicas), in the order they were started.</summary>
    public IReadOnlyList<EventLogProcess> Servers => _servers;

    /// <summary>The tokens of the projects' agents and readers.</summary>
    public ProjectTokens Tokens { get; }

    /// <summary>Messages the followers received so far.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>
    /// Starts <paramref name="replicas"/> server processes with <paramref name="settings"/> (environment, such as their
    /// observability or a shared database; more than one needs a database they can share) and the followers. Each
    /// replica gets a folder of its own, deleted with it, when <paramref name="dataDirectory"/> is null.
    /// </summary>
    public static async Task<EndToEndRun> StartAsync(BenchOptions options, string? dataDirectory, IEnumerable<KeyValuePair<string, string?>> settings, int replicas = 1)
    {
        // An agent and a reader token per project (the projects of RawStorageRun), limits off: capacity is measured
        // here, not the per-principal limits. The server's lines are echoed, as they show why a run went wrong.
        var tokens = TestTokens.PerProject("bench", options.Projects, RawStorageRun.Project);
        var servers = Enumerable.Range(0, replicas).Select(r => EventLogProcess.Start(
            ["--urls", $"http://127.0.0.1:{FreePort.Next()}"],
            [.. tokens.Environment(), new("Limits__WritesPerSecondPerPrincipal", "0"), new("Limits__MaxConcurrentStreamsPerPrincipal", "0"), .. settings],
            options.ServerAssembly,
            dataDirectory,
            echo: line => Console.WriteLine($"  [server {r + 1}] " + line))).ToArray();
        try
        {
            await Task.WhenAll(servers.Select(s => s.WaitUntilListeningAsync()));
        }
        catch
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
            throw;
        }
        var run = new EndToEndRun(options, servers, tokens);
        for (var p = 0; p < options.Projects; p++)
        {
            var agent = run._agents[0][p];
            run._tasks[p] = (await new TaskLogService.TaskLogServiceClient(agent).StartTaskAsync(new StartTaskRequest { RequestId = "bench-task", App = "kimchi", TargetUri = $"/bench/{p}" }, deadline: Deadline())).Task.Id;
            var plan = await new ProvisioningService.ProvisioningServiceClient(agent).DeclarePlanAsync(new DeclarePlanRequest
            {
                RequestId = "bench-plan",
                ClusterId = $"bench-cluster-{p}",
                StepType = StepType.Creating,
                Steps = { new PlannedStep { Name = "Waiting for instances" } },
            }, deadline: Deadline());
            run._steps[p] = plan.Steps[0].Id;
            await new ProvisioningService.ProvisioningServiceClient(agent).StartStepAsync(new StartStepRequest { StepId = run._steps[p] }, deadline: Deadline());
        }

        run._followers = [.. Enumerable.Range(0, options.Followers).Select(f => FollowAsync(f, run._readers[f % replicas][f % options.Projects], run._tasks[f % options.Projects], () => Interlocked.Increment(ref run._delivered), run._stopFollowers.Token))];
        return run;
    }

    /// <summary>
    /// The writers for <paramref name="warmUp"/> + <paramref name="duration"/>, with the listers alongside; the write
    /// rate of the second part (only successful writes count), the lists made and failed in the whole window, and the
    /// 99th percentile of the successful lists' latency.
    /// </summary>
    public async Task<(Measurement Writes, long Lists, long ListErrors, TimeSpan ListP99)> MeasureAsync(TimeSpan warmUp, TimeSpan duration)
    {
        long lists = 0, listErrors = 0;
        var listLatencies = new System.Collections.Concurrent.ConcurrentBag<TimeSpan>();
        using var stopListing = new CancellationTokenSource();
        var listing = PacedAsync(_options.ListsPerSecond, async i =>
        {
            var reader = _readers[(int)(i % _servers.Length)][(int)(i % _options.Projects)];
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
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
                listLatencies.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started));
            }
            catch (RpcException)
            {
                Interlocked.Increment(ref listErrors);
            }
        }, stopListing.Token);

        var rate = await WriteMix.MeasureAsync(_options.Writers, warmUp, duration, _indexes, async i =>
        {
            var p = (int)(i / 4 % _options.Projects);
            try
            {
                await WriteAsync(_agents[(int)(i % _servers.Length)][p], _tasks[p], _steps[p], i);
                return true;
            }
            catch (RpcException)
            {
                return false;
            }
        }, [.. _servers.Select(s => s.Process)]);
        await stopListing.CancelAsync();
        await listing.WaitAsync(TimeSpan.FromSeconds(60));
        return (rate, lists, listErrors, Statistics.Percentile(listLatencies, 0.99));
    }

    public async ValueTask DisposeAsync()
    {
        await _stopFollowers.CancelAsync();
        try
        {
            await Task.WhenAll(_followers).WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            foreach (var channel in _agents.Concat(_readers).SelectMany(c => c))
            {
                channel.Dispose();
            }
            _stopFollowers.Dispose();
            foreach (var server in _servers)
            {
                await server.DisposeAsync();
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

    /// <summary>Runs operation i at start + (i - first) / rate (a few at a time) until <paramref name="stop"/>; a rate of 0 runs nothing.</summary>
    private Task PacedAsync(double perSecond, Func<long, Task> operation, CancellationToken stop)
    {
        if (perSecond <= 0)
        {
            return Task.CompletedTask;
        }
        // The pace restarts with each window; the index goes on, so projects and list kinds keep turning.
        var first = Interlocked.Read(ref _listIndex) + 1;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        return Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref _listIndex);
                var due = TimeSpan.FromSeconds((i - first) / perSecond) - clock.Elapsed;
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

    private static DateTime Deadline() => TestTimeouts.Deadline(30);
}
