using System.Diagnostics;
using System.Threading.Channels;
using EventLog.Tests.Shared;
using EventLog.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace EventLog.Benchmarks.E2E;

/// <summary>
/// How long a message created through one replica takes to reach a watcher of another: messages are created one at a
/// time through the first replica of a run and each is awaited on a WatchMessages stream of the second before the
/// next is sent.
/// </summary>
public sealed class CrossReplicaLatency : IAsyncDisposable
{
    /// <summary>Messages sent and awaited on opening, so the watch is open and both sides are warm before anything counts.</summary>
    private const int WarmUpMessages = 50;

    private readonly GrpcChannel _writerChannel;
    private readonly GrpcChannel _watcherChannel;
    private readonly MessagesService.MessagesServiceClient _writer;
    private readonly string _prefix = "latency-" + Guid.NewGuid().ToString("N")[..8];
    private readonly Channel<(string RequestId, long At)> _arrivals = Channel.CreateUnbounded<(string, long)>();
    private readonly CancellationTokenSource _stopWatching = new();
    private AsyncServerStreamingCall<WatchMessagesResponse>? _watch;
    private Task _reading = Task.CompletedTask;
    private long _next;

    private CrossReplicaLatency(EndToEndRun run)
    {
        _writerChannel = TestChannels.Create(run.Servers[0].Address, run.Tokens.Agent(0));
        _watcherChannel = TestChannels.Create(run.Servers[1].Address, run.Tokens.Reader(0));
        _writer = new MessagesService.MessagesServiceClient(_writerChannel);
    }

    /// <summary>Opens the watch on the second replica of <paramref name="run"/> after its newest message and warms both sides up.</summary>
    public static async Task<CrossReplicaLatency> OpenAsync(EndToEndRun run)
    {
        var latency = new CrossReplicaLatency(run);
        var marker = await latency._writer.CreateMessageAsync(Message($"{latency._prefix}-marker"), deadline: Deadline());
        latency._watch = new MessagesService.MessagesServiceClient(latency._watcherChannel)
            .WatchMessages(new WatchMessagesRequest { AfterSequence = marker.Message.Sequence }, cancellationToken: latency._stopWatching.Token);
        latency._reading = Task.Run(latency.ReadAsync);
        await latency.MeasureAsync(WarmUpMessages);
        return latency;
    }

    /// <summary>
    /// Sends <paramref name="count"/> messages (fewer if <paramref name="stop"/> comes first) and times their arrival on
    /// the watch: from the call's start (an upper bound: it includes the write itself) and from its response (the
    /// commit acknowledged; negative when the watcher was woken before the writer got its answer).
    /// </summary>
    public async Task<(List<TimeSpan> FromSend, List<TimeSpan> FromAck)> MeasureAsync(int count, CancellationToken stop = default)
    {
        var fromSend = new List<TimeSpan>();
        var fromAck = new List<TimeSpan>();
        for (var n = 0; n < count && !stop.IsCancellationRequested; n++)
        {
            var requestId = $"{_prefix}-{_next++}";
            var sent = Stopwatch.GetTimestamp();
            await _writer.CreateMessageAsync(Message(requestId), deadline: Deadline());
            var acknowledged = Stopwatch.GetTimestamp();
            var arrived = await ArrivalAsync(requestId);
            fromSend.Add(Stopwatch.GetElapsedTime(sent, arrived));
            fromAck.Add(Stopwatch.GetElapsedTime(acknowledged, arrived));
        }
        return (fromSend, fromAck);
    }

    /// <summary>One line: count, p50, p99 and max of both measures.</summary>
    public static string Describe(List<TimeSpan> fromSend, List<TimeSpan> fromAck) =>
        $"{fromSend.Count:N0} messages; send to watcher p50 {Ms(fromSend, 0.5)} p99 {Ms(fromSend, 0.99)} max {Ms(fromSend, 1)}; " +
        $"acknowledged to watcher p50 {Ms(fromAck, 0.5)} p99 {Ms(fromAck, 0.99)} max {Ms(fromAck, 1)} (ms)";

    public async ValueTask DisposeAsync()
    {
        await _stopWatching.CancelAsync();
        await _reading.WaitAsync(TimeSpan.FromSeconds(30));
        _watch?.Dispose();
        _stopWatching.Dispose();
        _writerChannel.Dispose();
        _watcherChannel.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            while (await _watch!.ResponseStream.MoveNext(CancellationToken.None))
            {
                if (_watch.ResponseStream.Current.Message is { } message)
                {
                    _arrivals.Writer.TryWrite((message.RequestId, Stopwatch.GetTimestamp()));
                }
            }
        }
        catch (RpcException) when (_stopWatching.IsCancellationRequested)
        {
        }
        _arrivals.Writer.TryComplete();
    }

    private async Task<long> ArrivalAsync(string requestId)
    {
        while (true)
        {
            var (id, at) = await _arrivals.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            if (id == requestId)
            {
                return at;
            }
        }
    }

    private static string Ms(List<TimeSpan> values, double fraction) => Statistics.Percentile(values, fraction).TotalMilliseconds.ToString("0.0");

    private static CreateMessageRequest Message(string requestId) =>
        new() { RequestId = requestId, ActionCode = "001", DetailCode = "001", Level = MessageLevel.Info, Host = "node-1" };

    private static DateTime Deadline() => TestTimeouts.Deadline(30);
}
