using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Net.Client;
using EventLog.V1;

namespace GuestLogsBenchmark;

/// <summary>
/// Opens many WatchProgress streams on one cluster, records events one at a time, and measures for every watcher
/// and event the delivery latency: from the writer receiving the RecordEvents response (sent after the commit,
/// so a slight under-estimate of commit → watcher) and from the start of that call (an upper bound).
/// </summary>
internal sealed class WatchBench(ProvisioningService.ProvisioningServiceClient writer, IReadOnlyList<GrpcChannel> channels)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public async Task<(List<double> FromAck, List<double> FromWrite)> RunAsync(int watchers, int events, TimeSpan spacing)
    {
        var cluster = "bench-cluster-" + Guid.NewGuid().ToString("N")[..8];
        var plan = await writer.DeclarePlanAsync(new DeclarePlanRequest
        {
            ClusterId = cluster, StepType = StepType.Creating, Steps = { new PlannedStep { Name = "Waiting for ssh", Total = 0 } },
        }).ResponseAsync.WaitAsync(Timeout);
        await writer.StartStepAsync(new StartStepRequest { StepId = plan.Steps[0].Id }).ResponseAsync.WaitAsync(Timeout);
        var snapshot = await writer.GetProgressAsync(new GetProgressRequest { ClusterId = cluster }).ResponseAsync.WaitAsync(Timeout);

        var writeAt = new ConcurrentDictionary<long, long>();
        var ackAt = new ConcurrentDictionary<long, long>();
        var deliveries = new ConcurrentBag<(long Sequence, long At)>();
        var ready = new CountdownEvent(watchers);
        using var stop = new CancellationTokenSource(Timeout);
        var tasks = Enumerable.Range(0, watchers).Select(w => Task.Run(async () =>
        {
            var client = new ProvisioningService.ProvisioningServiceClient(channels[w % channels.Count]);
            using var call = client.WatchProgress(new WatchProgressRequest { ClusterId = cluster, AfterSequence = snapshot.Sequence - 1 }, cancellationToken: stop.Token);
            await call.ResponseStream.MoveNext(stop.Token);
            ready.Signal();
            var received = 0;
            while (received < events && await call.ResponseStream.MoveNext(stop.Token))
            {
                var now = Stopwatch.GetTimestamp();
                var message = call.ResponseStream.Current;
                if (message.Event is null)
                {
                    continue;
                }

                received++;
                deliveries.Add((message.Sequence, now));
            }
        })).ToList();

        if (!ready.Wait(Timeout))
        {
            throw new TimeoutException($"Only {watchers - ready.CurrentCount} of {watchers} watchers started.");
        }

        for (var i = 0; i < events; i++)
        {
            var request = new RecordEventsRequest { StepId = plan.Steps[0].Id };
            request.Events.Add(new ProvisionEvent { InstanceId = $"i-{i}", Successful = true });
            var start = Stopwatch.GetTimestamp();
            var response = await writer.RecordEventsAsync(request).ResponseAsync.WaitAsync(Timeout);
            var ack = Stopwatch.GetTimestamp();
            writeAt[response.Events[0].Sequence] = start;
            ackAt[response.Events[0].Sequence] = ack;
            await Task.Delay(spacing);
        }

        await Task.WhenAll(tasks).WaitAsync(Timeout);
        var fromAck = deliveries.Select(d => Stopwatch.GetElapsedTime(ackAt[d.Sequence], d.At).TotalMilliseconds).ToList();
        var fromWrite = deliveries.Select(d => Stopwatch.GetElapsedTime(writeAt[d.Sequence], d.At).TotalMilliseconds).ToList();
        return (fromAck, fromWrite);
    }
}
