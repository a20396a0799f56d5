using System.Collections.Concurrent;
using EventLog.V1;

namespace EventLog.Security.Tests.Crash;

/// <summary>
/// A child server process is killed with SIGKILL in the middle of a multi-client write load. After a restart on
/// the same data, every acknowledged write is present exactly once (retried unacknowledged writes too, thanks to
/// idempotency keys) and a watch resumed from its last sequence continues with no gap and no repeat.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int MessageWriters = 6;
    private const int RequestWriters = 2;

    [Fact]
    public async Task SigkillDuringWriteLoad_AcknowledgedWritesSurviveExactlyOnce_WatchResumesWithoutGap()
    {
        await using var server = await EventLogProcess.StartAsync([new("Limits:WritesPerSecondPerPrincipal", "0"), new("Limits:MaxConcurrentStreamsPerPrincipal", "0")]);
        output.WriteLine($"server pid {server.Id} on {server.Address}, data {server.DataDirectory}");
        var state = new LoadState();

        // Phase 1: load, a watcher, then SIGKILL while writes are in flight.
        var watcher = new MessageWatcher();
        var watch1 = watcher.RunAsync(server, afterSequence: 0);
        var taskId = (await new TaskLogService.TaskLogServiceClient(server.CreateChannel(TestTokens.AgentA))
            .StartTaskAsync(new StartTaskRequest { RequestId = "crash-task", App = "kimchi", TargetUri = "/crash/target" }, deadline: TestTimeouts.Deadline())).Task.Id;
        using (var stop = new CancellationTokenSource())
        {
            var writers = StartWriters(server, state, taskId, stop.Token);
            var until = DateTime.UtcNow.AddSeconds(60);
            while (state.AckedMessages.Count < 200 && DateTime.UtcNow < until)
            {
                await Task.Delay(20);
            }
            await server.KillAsync();
            output.WriteLine($"killed after {state.AckedMessages.Count} messages, {state.AckedRequests.Count} requests, {state.AckedLines} lines acknowledged");
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60));
        }
        await watch1.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(state.AckedMessages.Count >= 200, "the load did not get going before the kill");

        // Phase 2: restart, resume the watch where it stopped, retry what was in flight, write some more.
        await server.RestartAsync();
        output.WriteLine($"restarted; watch stopped at sequence {watcher.LastSequence}; retrying {state.InFlightMessages.Count} messages and {state.InFlightRequests.Count} request entries that were in flight");
        using var endWatch = new CancellationTokenSource();
        var watch2 = watcher.RunAsync(server, afterSequence: watcher.LastSequence, endWatch.Token);
        await RetryUnacknowledgedAsync(server, state, taskId);
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            await Task.WhenAll(StartWriters(server, state, taskId, stop.Token)).WaitAsync(TimeSpan.FromSeconds(60));
        }

        // Every acknowledged write exactly once.
        var reader = server.CreateChannel(TestTokens.ReaderA);
        var messages = await ListAllMessagesAsync(reader);
        var byRequestId = messages.GroupBy(m => m.RequestId).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var (id, sequence) in state.AckedMessages)
        {
            Assert.True(byRequestId.TryGetValue(id, out var found) && found.Count == 1, $"acknowledged message {id} (sequence {sequence}) found {found?.Count ?? 0} times");
            Assert.Equal(sequence, found![0].Sequence);
        }
        Assert.Equal(messages.Count, messages.Select(m => m.Sequence).Distinct().Count());
        var storedSequences = messages.Select(m => m.Sequence).Order().ToList();
        Assert.Equal(Enumerable.Range(1, storedSequences.Count).Select(i => (long)i), storedSequences);

        var requests = await ListAllRequestsAsync(reader);
        foreach (var id in state.AckedRequests.Keys)
        {
            Assert.True(requests.Count(r => r.RequestId == id) == 1, $"acknowledged request entry {id} found {requests.Count(r => r.RequestId == id)} times");
        }

        var lines = await ReadAllLinesAsync(reader, taskId);
        Assert.True(lines.Count >= state.AckedLines, $"{lines.Count} lines stored, {state.AckedLines} acknowledged");
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.Equal($"line-{i + 1}", lines[i]);
        }

        // The watch: everything from 1 to the last stored sequence, once each, in order, across the crash.
        var max = storedSequences[^1];
        var until2 = DateTime.UtcNow.AddSeconds(30);
        while (watcher.LastSequence < max && DateTime.UtcNow < until2)
        {
            await Task.Delay(50);
        }
        await endWatch.CancelAsync();
        await watch2.WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"{messages.Count} messages stored, watch saw {watcher.Sequences.Count} (last {watcher.LastSequence}) in {watcher.Connections} connections; {requests.Count} request entries; {lines.Count} lines");
        Assert.Equal(Enumerable.Range(1, (int)max).Select(i => (long)i), watcher.Sequences);
    }

    private static List<Task> StartWriters(EventLogProcess server, LoadState state, long taskId, CancellationToken stop)
    {
        var writers = new List<Task>();
        for (var w = 0; w < MessageWriters; w++)
        {
            var client = new MessagesService.MessagesServiceClient(server.CreateChannel(TestTokens.AgentA));
            writers.Add(Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var id = state.NextId("msg");
                    if (!await TryCreateMessageAsync(client, state, id))
                    {
                        return;
                    }
                }
            }));
        }
        for (var w = 0; w < RequestWriters; w++)
        {
            var client = new TaskLogService.TaskLogServiceClient(server.CreateChannel(TestTokens.AgentA));
            writers.Add(Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var id = state.NextId("req");
                    if (!await TryRecordRequestAsync(client, state, id))
                    {
                        return;
                    }
                }
            }));
        }
        var lines = new TaskLogService.TaskLogServiceClient(server.CreateChannel(TestTokens.AgentA));
        writers.Add(Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && await TryAppendLinesAsync(lines, state, taskId))
            {
            }
        }));
        return writers;
    }

    private static async Task<bool> TryCreateMessageAsync(MessagesService.MessagesServiceClient client, LoadState state, string id)
    {
        state.InFlightMessages[id] = true;
        try
        {
            var reply = await client.CreateMessageAsync(new CreateMessageRequest
            {
                RequestId = id,
                ActionCode = "001",
                DetailCode = "001",
                Level = MessageLevel.Error,
                ResourceType = "volume",
                ResourceUuid = LoadState.UuidOf(id),
            }, deadline: TestTimeouts.Deadline(10));
            state.AckedMessages[id] = reply.Message.Sequence;
            state.InFlightMessages.TryRemove(id, out _);
            return true;
        }
        catch (RpcException)
        {
            return false;
        }
    }

    private static async Task<bool> TryRecordRequestAsync(TaskLogService.TaskLogServiceClient client, LoadState state, string id)
    {
        state.InFlightRequests[id] = true;
        try
        {
            var reply = await client.RecordRequestAsync(new RecordRequestRequest
            {
                RequestId = id,
                Kind = RequestKind.Post,
                User = "crash",
                ClientIp = "10.0.0.1",
                Status = 200,
                App = "kimchi",
                MessageCode = "KCHVM0003L",
                MessageParams = { ["name"] = id },
            }, deadline: TestTimeouts.Deadline(10));
            state.AckedRequests[id] = reply.Entry.Sequence;
            state.InFlightRequests.TryRemove(id, out _);
            return true;
        }
        catch (RpcException)
        {
            return false;
        }
    }

    /// <summary>Appends the next batch of 5 numbered lines; a batch resent after a crash is skipped by the server.</summary>
    private static async Task<bool> TryAppendLinesAsync(TaskLogService.TaskLogServiceClient client, LoadState state, long taskId)
    {
        var first = state.AckedLines + 1;
        try
        {
            using var call = client.AppendTaskLog(deadline: TestTimeouts.Deadline(10));
            await call.RequestStream.WriteAsync(new AppendTaskLogRequest
            {
                TaskId = taskId,
                FirstLineNumber = first,
                Lines = { Enumerable.Range((int)first, 5).Select(n => $"line-{n}") },
            }).WaitAsync(TestTimeouts.Default);
            await call.RequestStream.CompleteAsync().WaitAsync(TestTimeouts.Default);
            var reply = await call.ResponseAsync.WaitAsync(TestTimeouts.Default);
            state.AckedLines = reply.LineCount;
            return true;
        }
        catch (RpcException)
        {
            return false;
        }
    }

    private static async Task RetryUnacknowledgedAsync(EventLogProcess server, LoadState state, long taskId)
    {
        var messages = new MessagesService.MessagesServiceClient(server.CreateChannel(TestTokens.AgentA));
        foreach (var id in state.InFlightMessages.Keys.ToList())
        {
            Assert.True(await TryCreateMessageAsync(messages, state, id), $"retry of {id} failed");
        }
        var tasks = new TaskLogService.TaskLogServiceClient(server.CreateChannel(TestTokens.AgentA));
        foreach (var id in state.InFlightRequests.Keys.ToList())
        {
            Assert.True(await TryRecordRequestAsync(tasks, state, id), $"retry of {id} failed");
        }
        // The batch in flight at the kill may or may not be stored; resending it must not duplicate lines.
        var info = await tasks.GetTaskAsync(new GetTaskRequest { TaskId = taskId }, deadline: TestTimeouts.Deadline());
        if (info.Task.LineCount > state.AckedLines)
        {
            var stored = info.Task.LineCount;
            var resentFrom = state.AckedLines + 1;
            using var call = tasks.AppendTaskLog(deadline: TestTimeouts.Deadline(10));
            await call.RequestStream.WriteAsync(new AppendTaskLogRequest
            {
                TaskId = taskId,
                FirstLineNumber = resentFrom,
                Lines = { Enumerable.Range((int)resentFrom, 5).Select(n => $"line-{n}") },
            }).WaitAsync(TestTimeouts.Default);
            await call.RequestStream.CompleteAsync().WaitAsync(TestTimeouts.Default);
            var reply = await call.ResponseAsync.WaitAsync(TestTimeouts.Default);
            Assert.Equal(stored, reply.LineCount);
            state.AckedLines = reply.LineCount;
        }
    }

    private static async Task<List<Message>> ListAllMessagesAsync(Grpc.Net.Client.GrpcChannel channel)
    {
        var client = new MessagesService.MessagesServiceClient(channel);
        var all = new List<Message>();
        var token = "";
        do
        {
            var page = await client.ListMessagesAsync(new ListMessagesRequest { PageSize = 1000, PageToken = token }, deadline: TestTimeouts.Deadline());
            all.AddRange(page.Messages);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return all;
    }

    private static async Task<List<RequestEntry>> ListAllRequestsAsync(Grpc.Net.Client.GrpcChannel channel)
    {
        var client = new TaskLogService.TaskLogServiceClient(channel);
        var all = new List<RequestEntry>();
        var token = "";
        do
        {
            var page = await client.ListRequestsAsync(new ListRequestsRequest { PageSize = 1000, PageToken = token }, deadline: TestTimeouts.Deadline());
            all.AddRange(page.Entries);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return all;
    }

    private static async Task<List<string>> ReadAllLinesAsync(Grpc.Net.Client.GrpcChannel channel, long taskId)
    {
        var client = new TaskLogService.TaskLogServiceClient(channel);
        using var call = client.TailTaskLog(new TailTaskLogRequest { TaskId = taskId }, deadline: TestTimeouts.Deadline());
        var lines = new List<string>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Default))
        {
            if (call.ResponseStream.Current.Lines is { } batch)
            {
                Assert.Equal(lines.Count + 1, batch.FirstLineNumber);
                lines.AddRange(batch.Lines);
            }
        }
        return lines;
    }

    private sealed class LoadState
    {
        private int _next;
        private long _ackedLines;

        public ConcurrentDictionary<string, long> AckedMessages { get; } = new();
        public ConcurrentDictionary<string, long> AckedRequests { get; } = new();
        public ConcurrentDictionary<string, bool> InFlightMessages { get; } = new();
        public ConcurrentDictionary<string, bool> InFlightRequests { get; } = new();

        public long AckedLines
        {
            get => Interlocked.Read(ref _ackedLines);
            set => Interlocked.Exchange(ref _ackedLines, value);
        }

        public string NextId(string kind) => $"crash-{kind}-{Interlocked.Increment(ref _next)}";

        /// <summary>A stable resource uuid per id, so a retry is the same message (idempotency).</summary>
        public static string UuidOf(string id) => new Guid(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(id))).ToString();
    }

    /// <summary>Follows project A's messages, remembering every sequence received, across reconnects.</summary>
    private sealed class MessageWatcher
    {
        private readonly List<long> _sequences = [];

        public IReadOnlyList<long> Sequences
        {
            get
            {
                lock (_sequences)
                {
                    return [.. _sequences];
                }
            }
        }

        public long LastSequence
        {
            get
            {
                lock (_sequences)
                {
                    return _sequences.Count == 0 ? 0 : _sequences[^1];
                }
            }
        }

        public int Connections { get; private set; }

        /// <summary>Watches until the stream breaks (the kill) or <paramref name="stop"/> fires.</summary>
        public async Task RunAsync(EventLogProcess server, long afterSequence, CancellationToken stop = default)
        {
            Connections++;
            var client = new MessagesService.MessagesServiceClient(server.CreateChannel(TestTokens.ReaderA));
            try
            {
                using var call = client.WatchMessages(new WatchMessagesRequest { AfterSequence = afterSequence }, cancellationToken: stop);
                while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(120)))
                {
                    var update = call.ResponseStream.Current;
                    if (update.Message is null)
                    {
                        continue;
                    }
                    lock (_sequences)
                    {
                        _sequences.Add(update.Sequence);
                    }
                }
            }
            catch (RpcException)
            {
                // The server died, or the test stopped the watch.
            }
        }
    }
}
