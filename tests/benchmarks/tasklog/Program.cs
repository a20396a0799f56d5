using System.Diagnostics;
using EventLog.Benchmarks.TaskLog;
using EventLog.V1;

// TaskLog benchmark (issue 4): prints RecordRequest calls/s, AppendTaskLog lines/s and follow-tail delivery
// latency with their p50/p99. Everything runs in this process over loopback h2c on a fresh SQLite file.
var records = Argument("--records", 20_000);
var concurrency = Argument("--concurrency", 64);
var streams = Argument("--streams", 8);
var callsPerStream = Argument("--calls", 10);
var followers = Argument("--followers", 100);
var deliveries = Argument("--deliveries", 300);

await using var host = await BenchmarkHost.StartAsync();
using var channel = host.CreateChannel();
var client = new TaskLogService.TaskLogServiceClient(channel);
Console.WriteLine($"EventLog TaskLog benchmark — SQLite, loopback h2c, {Environment.ProcessorCount} cores, .NET {Environment.Version}");

if (args.Contains("--reads"))
{
    var readLatency = new Percentiles();
    var readClock = Stopwatch.StartNew();
    var count = 0;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (Interlocked.Increment(ref count) <= records)
        {
            var started = Stopwatch.GetTimestamp();
            await client.GetTimelineAsync(new GetTimelineRequest { Limit = 1 });
            readLatency.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }));
    Console.WriteLine($"GetTimeline (unary read, {concurrency} concurrent): {records / readClock.Elapsed.TotalSeconds:N0} calls/s; {readLatency.Summary()}");
}

await RecordRequestsAsync(200, concurrency, warmup: true);
await RecordRequestsAsync(records, concurrency, warmup: false);
await AppendLinesAsync(2, 2, warmup: true);
await AppendLinesAsync(streams, callsPerStream, warmup: false);
await FollowTailAsync(followers, deliveries);
return 0;

async Task RecordRequestsAsync(int total, int workers, bool warmup)
{
    var latency = new Percentiles();
    var next = -1;
    var prefix = Guid.NewGuid().ToString("N")[..8];
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < total)
        {
            var request = new RecordRequestRequest
            {
                RequestId = $"{prefix}-{i}", Kind = RequestKind.Post, Status = 202, App = "kimchi", User = "admin",
                ClientIp = "10.0.0.1", MessageCode = "KCHVM0003L", TimeZone = "America/Sao_Paulo",
            };
            request.MessageParams["name"] = "vm" + i;
            var started = Stopwatch.GetTimestamp();
            await client.RecordRequestAsync(request, deadline: DateTime.UtcNow.AddSeconds(30));
            latency.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }));
    if (!warmup)
    {
        Console.WriteLine($"RecordRequest (unary, {workers} concurrent): {total / clock.Elapsed.TotalSeconds:N0} calls/s; {latency.Summary()}  [goal ≥ 5,000/s]");
    }
}

async Task AppendLinesAsync(int streamCount, int calls, bool warmup)
{
    const int batches = 5, linesPerBatch = 1_000;
    var latency = new Percentiles();
    var text = new string('x', 80);
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, streamCount).Select(async s =>
    {
        var task = (await client.StartTaskAsync(new StartTaskRequest { App = "kimchi", TargetUri = $"/bench/{Guid.NewGuid():N}" })).Task;
        for (var c = 0; c < calls; c++)
        {
            var started = Stopwatch.GetTimestamp();
            using var call = client.AppendTaskLog(deadline: DateTime.UtcNow.AddSeconds(60));
            for (var b = 0; b < batches; b++)
            {
                var batch = new AppendTaskLogRequest { TaskId = task.Id };
                for (var l = 0; l < linesPerBatch; l++)
                {
                    batch.Lines.Add($"{c}.{b}.{l} {text}");
                }

                await call.RequestStream.WriteAsync(batch);
            }

            await call.RequestStream.CompleteAsync();
            await call.ResponseAsync;
            latency.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }));
    var lines = (long)streamCount * calls * batches * linesPerBatch;
    if (!warmup)
    {
        Console.WriteLine($"AppendTaskLog (client streaming, {streamCount} streams, {batches}×{linesPerBatch} lines per call): {lines / clock.Elapsed.TotalSeconds:N0} lines/s; per call {latency.Summary()}  [goal ≥ 50,000 lines/s]");
    }
}

async Task FollowTailAsync(int followerCount, int lineCount)
{
    var task = (await client.StartTaskAsync(new StartTaskRequest { App = "kimchi", TargetUri = "/bench/follow" })).Task;
    var sentAt = new long[lineCount + 2];
    var latency = new Percentiles();
    var ready = new CountdownEvent(followerCount);
    using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
    var tails = Enumerable.Range(0, followerCount).Select(async _ =>
    {
        using var tail = client.TailTaskLog(new TailTaskLogRequest { TaskId = task.Id, Follow = true }, cancellationToken: stop.Token);
        var warmed = false;
        while (await tail.ResponseStream.MoveNext(stop.Token))
        {
            var response = tail.ResponseStream.Current;
            if (response.UpdateCase == TailTaskLogResponse.UpdateOneofCase.Lines)
            {
                var now = Stopwatch.GetTimestamp();
                for (var i = 0; i < response.Lines.Lines.Count; i++)
                {
                    var lineNo = response.Lines.FirstLineNumber + i;
                    if (lineNo == 1 && !warmed)
                    {
                        warmed = true;
                        ready.Signal();
                    }
                    else if (lineNo > 1)
                    {
                        latency.Add(Stopwatch.GetElapsedTime(Volatile.Read(ref sentAt[lineNo]), now).TotalMilliseconds);
                    }
                }
            }
        }
    }).ToArray();

    using var append = client.AppendTaskLog();
    await append.RequestStream.WriteAsync(new AppendTaskLogRequest { TaskId = task.Id, Lines = { "warm-up" } });
    ready.Wait(stop.Token);
    for (var n = 2; n <= lineCount + 1; n++)
    {
        Volatile.Write(ref sentAt[n], Stopwatch.GetTimestamp());
        await append.RequestStream.WriteAsync(new AppendTaskLogRequest { TaskId = task.Id, Lines = { $"line {n}" } });
        await Task.Delay(10);
    }

    await append.RequestStream.CompleteAsync();
    await append.ResponseAsync;
    await client.CompleteTaskAsync(new CompleteTaskRequest { TaskId = task.Id });
    await Task.WhenAll(tails);
    Console.WriteLine($"TailTaskLog follow delivery, {followerCount} followers, {lineCount} lines at 100/s (client write → follower receive, an upper bound of commit → client): {latency.Summary()}  [goal p99 ≤ 50 ms]");
}

int Argument(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
