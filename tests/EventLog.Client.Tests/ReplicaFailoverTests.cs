using System.Collections.Concurrent;
using System.Diagnostics;
using EventLog.V1;
using Xunit.Abstractions;

namespace EventLog.Client.Tests;

/// <summary>
/// Three real server processes on one PostgreSQL database, writers and followers spread over them by the SDK, and one
/// replica killed with SIGKILL under load: no acknowledged write is lost or stored twice, every follower resumes on a
/// live replica with no gap and no duplicate, and a publish sent to one replica reaches the agent streaming from another.
/// </summary>
public sealed class ReplicaFailoverTests(ITestOutputHelper output)
{
    private const int Tasks = 3;
    private const int FollowersPerTask = 2;
    private const int MessageWriters = 2;
    private const int MessageWatchers = 3;
    private const int LinesPerAppend = 20;
    private static readonly TimeSpan LoadBeforeKill = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan LoadAfterKill = TimeSpan.FromSeconds(4);

    [SkippableFact]
    public async Task ThreeReplicas_OneKilledUnderLoad_NoWriteLostOrDoubled_FollowersResumeWithNoGap()
    {
        Skip.If(PostgresTestDatabase.SkipReason is not null, PostgresTestDatabase.SkipReason);
        var clock = Stopwatch.StartNew();
        await using var database = await PostgresTestDatabase.CreateAsync("eventlog_sdk_");
        KeyValuePair<string, string?>[] settings =
        [
            new("Storage:Provider", "PostgreSql"),
            new("Storage:ConnectionString", database.ConnectionString),
            new("Limits:WritesPerSecondPerPrincipal", "0"),
        ];
        // Started together: the migrations' advisory lock lets one apply them while the others wait.
        var replicas = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => EventLogProcess.StartAsync(settings)));
        try
        {
            output.WriteLine($"3 replicas listening after {clock.Elapsed.TotalSeconds:0.0} s");
            await RunAsync(replicas, clock);
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
        output.WriteLine($"done in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private async Task RunAsync(EventLogProcess[] replicas, Stopwatch clock)
    {
        Uri[] all = [.. replicas.Select(r => r.Address)];
        using var writer = Client(TestTokens.AgentA, all);
        using var reader = Client(TestTokens.MemberA, all);
        using var check = Client(TestTokens.MemberA, all);

        // The agent's stream is on replica 1 only; the publish later goes to replica 2 only.
        var agentDirectory = Directory.CreateTempSubdirectory("eventlog-agent-");
        var agentFile = Path.Combine(agentDirectory.FullName, "guest.log");
        await File.WriteAllLinesAsync(agentFile, Enumerable.Range(1, 100).Select(i => $"agent line {i}"));
        using var agentClient = Client(TestTokens.AgentA, [replicas[0].Address]);
        using var stopAgent = new CancellationTokenSource();
        var agent = new GuestAgentHost(agentClient.GuestLogs, new GuestAgentOptions
        {
            InstanceId = "inst-replicas",
            Datastore = "mysql",
            Logs = [new GuestAgentLog { Name = "guest", FilePath = agentFile, Type = GuestLogType.Sys, Enabled = true }],
        });
        var agentRun = Task.Run(() => agent.RunAsync(stopAgent.Token));
        await TestTimeouts.EventuallyAsync(async () =>
        {
            try
            {
                await check.GuestLogs.GetLogAsync("inst-replicas", "guest");
                return true;
            }
            catch (EventLogException)
            {
                return false;
            }
        }, "the agent to register its log");

        using var stopWriting = new CancellationTokenSource();
        var taskWriters = new List<TaskLogWriter>();
        for (var i = 0; i < Tasks; i++)
        {
            var started = await writer.Tasks.StartTaskAsync(new StartTaskRequest { App = "replicas", TargetUri = $"/vms/{i}" }).WithTimeout();
            taskWriters.Add(new TaskLogWriter(writer, started.Task.Id, stopWriting.Token));
        }
        // A new balanced channel sends every call to the first replica it reaches until the others are connected: the
        // followers' client makes calls first so that its long-lived streams spread over all three.
        await ConnectAllAsync(reader);
        var messageWriters = Enumerable.Range(0, MessageWriters).Select(w => new MessageWriter(writer, $"w{w}", stopWriting.Token)).ToList();
        var tailFollowers = taskWriters.SelectMany(w => Enumerable.Range(0, FollowersPerTask).Select(_ => new TaskLogFollower(reader, w.TaskId))).ToList();
        var messageWatchers = Enumerable.Range(0, MessageWatchers).Select(_ => new MessageWatcher(reader)).ToList();

        await Task.Delay(LoadBeforeKill);
        var killedAt = clock.Elapsed;
        await replicas[2].KillAsync().WithTimeout();
        output.WriteLine($"replica 3 killed at {killedAt.TotalSeconds:0.0} s with {AckedLines(taskWriters)} lines and {AckedMessages(messageWriters)} messages acknowledged");

        // Under the same load: a publish sent only to replica 2 reaches the agent streaming from replica 1.
        using var publisher = Client(TestTokens.MemberA, [replicas[1].Address]);
        var published = await publisher.GuestLogs.PublishLogAsync("inst-replicas", "guest").WithTimeout();
        Assert.Equal(new FileInfo(agentFile).Length, published.PublishedBytes);

        await Task.Delay(LoadAfterKill);
        await stopWriting.CancelAsync();
        await Task.WhenAll(taskWriters.Select(w => w.Done).Concat(messageWriters.Select(w => w.Done))).WithTimeout();
        output.WriteLine($"load stopped at {clock.Elapsed.TotalSeconds:0.0} s: {AckedLines(taskWriters)} lines and {AckedMessages(messageWriters)} messages acknowledged, "
            + $"{taskWriters.Sum(w => w.Failures) + messageWriters.Sum(w => w.Failures)} calls failed after the SDK's retries and were sent again");
        foreach (var taskWriter in taskWriters)
        {
            await writer.Tasks.CompleteTaskAsync(taskWriter.TaskId).WithTimeout();
        }

        // Every acknowledged line is stored once, under its number, and the numbers have no gap.
        var storedLines = new Dictionary<long, int>();
        foreach (var taskWriter in taskWriters)
        {
            var stored = new List<TaskLogLine>();
            await foreach (var line in check.Tasks.TailLogAsync(taskWriter.TaskId, cancellationToken: TestTimeouts.Token()))
            {
                stored.Add(line);
            }
            Assert.Equal(Enumerable.Range(1, stored.Count).Select(n => (long)n), stored.Select(l => l.Number));
            Assert.All(stored, l => Assert.Equal(TaskLogWriter.Text(taskWriter.TaskId, l.Number), l.Text));
            Assert.True(stored.Count >= taskWriter.Acknowledged, $"task {taskWriter.TaskId}: {taskWriter.Acknowledged} lines acknowledged, {stored.Count} stored");
            storedLines[taskWriter.TaskId] = stored.Count;
        }

        // Every acknowledged message is stored exactly once.
        var messages = new List<Message>();
        await foreach (var message in check.Messages.ListMessagesAsync(cancellationToken: TestTimeouts.Token()))
        {
            messages.Add(message);
        }
        var duplicates = messages.GroupBy(m => m.RequestId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"stored more than once: {string.Join(", ", duplicates)}");
        var storedIds = messages.Select(m => m.RequestId).ToHashSet();
        var lost = messageWriters.SelectMany(w => w.AcknowledgedIds).Where(id => !storedIds.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"acknowledged but not stored: {string.Join(", ", lost)}");

        // Each follower saw exactly what is stored, in order: no gap, no duplicate; some had to change replica.
        foreach (var follower in tailFollowers)
        {
            await follower.Done.WithTimeout();
            Assert.Equal(Enumerable.Range(1, storedLines[follower.TaskId]).Select(n => (long)n), follower.Numbers);
        }
        var sequences = messages.Select(m => m.Sequence).Order().ToList();
        foreach (var watcher in messageWatchers)
        {
            await TestTimeouts.EventuallyAsync(() => Task.FromResult(watcher.Sequences.Count >= sequences.Count), $"a watcher to see {sequences.Count} messages");
            await watcher.StopAsync();
            Assert.Equal(sequences, watcher.Sequences);
        }
        var resumed = tailFollowers.Count(f => f.Reconnects > 0) + messageWatchers.Count(w => w.Reconnects > 0);
        output.WriteLine($"{resumed} of {tailFollowers.Count + messageWatchers.Count} followers resumed on another replica");
        Assert.True(resumed > 0 && resumed < tailFollowers.Count + messageWatchers.Count, "round-robin should have put some followers on the killed replica and some on the others");

        await stopAgent.CancelAsync();
        await agentRun.WithTimeout();
        agentDirectory.Delete(recursive: true);
    }

    private static async Task ConnectAllAsync(EventLogClient client)
    {
        var clock = Stopwatch.StartNew();
        for (var calls = 0; calls < 10 || clock.Elapsed < TimeSpan.FromMilliseconds(500); calls++)
        {
            await client.Tasks.ListTasksPageAsync(new ListTasksRequest { PageSize = 1 }).WithTimeout();
            await Task.Delay(20);
        }
    }

    private static EventLogClient Client(string token, Uri[] addresses) => new(new EventLogClientOptions { Addresses = addresses, Token = token });

    private static long AckedLines(List<TaskLogWriter> writers) => writers.Sum(w => w.Acknowledged);

    private static long AckedMessages(List<MessageWriter> writers) => writers.Sum(w => w.AcknowledgedIds.Count);

    /// <summary>Appends numbered lines to one task until stopped; a batch is acknowledged once the SDK returned.</summary>
    private sealed class TaskLogWriter
    {
        private long _acknowledged;
        private int _failures;

        public TaskLogWriter(EventLogClient client, long taskId, CancellationToken stop)
        {
            TaskId = taskId;
            Done = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var first = Acknowledged + 1;
                    string[] lines = [.. Enumerable.Range(0, LinesPerAppend).Select(i => Text(taskId, first + i))];
                    try
                    {
                        // With explicit numbers the append is idempotent: a retry of a batch that was stored stores nothing new.
                        await client.Tasks.AppendLogAsync(taskId, lines, firstLineNumber: first);
                        Interlocked.Add(ref _acknowledged, LinesPerAppend);
                    }
                    catch (EventLogException)
                    {
                        // The SDK gave up; the same batch is sent again, as a caller that must not lose it would.
                        Interlocked.Increment(ref _failures);
                    }
                }
            });
        }

        public long TaskId { get; }

        public Task Done { get; }

        public long Acknowledged => Interlocked.Read(ref _acknowledged);

        public int Failures => Volatile.Read(ref _failures);

        public static string Text(long taskId, long number) => $"task {taskId} line {number}";
    }

    /// <summary>Creates messages with distinct request ids until stopped, keeping the ids the SDK acknowledged.</summary>
    private sealed class MessageWriter
    {
        private readonly ConcurrentQueue<string> _acknowledged = new();
        private int _failures;

        public MessageWriter(EventLogClient client, string name, CancellationToken stop)
        {
            Done = Task.Run(async () =>
            {
                for (var n = 0; !stop.IsCancellationRequested;)
                {
                    var requestId = $"req-{name}-{n}";
                    try
                    {
                        await client.Messages.CreateMessageAsync(new CreateMessageRequest { RequestId = requestId, ActionCode = "001", DetailCode = "003", Level = MessageLevel.Info });
                        _acknowledged.Enqueue(requestId);
                        n++;
                    }
                    catch (EventLogException)
                    {
                        Interlocked.Increment(ref _failures);
                    }
                }
            });
        }

        public Task Done { get; }

        public int Failures => Volatile.Read(ref _failures);

        public List<string> AcknowledgedIds => [.. _acknowledged];
    }

    /// <summary>Watches the project's messages through the SDK until stopped, keeping the sequences received.</summary>
    private sealed class MessageWatcher
    {
        private readonly ConcurrentQueue<long> _sequences = new();
        private readonly CancellationTokenSource _stop = new(TestTimeouts.Default);
        private readonly Task _run;
        private int _reconnects;

        public MessageWatcher(EventLogClient client)
        {
            var options = new EventLogStreamOptions { OnReconnecting = (_, _, _) => Interlocked.Increment(ref _reconnects) };
            _run = Task.Run(async () =>
            {
                await foreach (var message in client.Messages.WatchMessagesAsync(streamOptions: options, cancellationToken: _stop.Token))
                {
                    _sequences.Enqueue(message.Sequence);
                }
            });
        }

        public int Reconnects => Volatile.Read(ref _reconnects);

        public List<long> Sequences => [.. _sequences];

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _run.WithTimeout();
            }
            catch (OperationCanceledException)
            {
                // The watch ends by cancellation.
            }
            _stop.Dispose();
        }
    }
}
