using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using EventLog.V1;
using Google.Protobuf;

namespace GuestLogsBenchmark;

/// <summary>Publishes a log of a given size through UploadLog, then measures TailLog of its last 100 lines.</summary>
internal sealed class PublishTailBench(GuestLogsService.GuestLogsServiceClient client)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Registers a log and uploads <paramref name="bytes"/> of log lines in 1 MiB messages; returns MB/s (10^6 bytes).</summary>
    public async Task<double> PublishAsync(string instanceId, long bytes)
    {
        var register = new RegisterLogsRequest { InstanceId = instanceId, Datastore = "mysql" };
        register.Logs.Add(new GuestLogDefinition { Name = "guest", Type = GuestLogType.Sys, Exposed = true, Enabled = true, FileExists = true, FileSize = bytes });
        await client.RegisterLogsAsync(register).ResponseAsync.WaitAsync(CallTimeout);

        var piece = MakeLines(1024 * 1024);
        var firstLine = piece.AsSpan(0, Array.IndexOf(piece, (byte)'\n'));
        var messages = (int)(bytes / piece.Length);
        var total = (long)messages * piece.Length;
        var data = ByteString.CopyFrom(piece);
        var clock = Stopwatch.StartNew();
        using var call = client.UploadLog();
        await call.RequestStream.WriteAsync(new UploadLogRequest
        {
            Header = new UploadLogHeader { InstanceId = instanceId, LogName = "guest", FileSize = total, FirstLineHash = Convert.ToHexStringLower(SHA256.HashData(firstLine)) },
        });
        for (var i = 0; i < messages; i++)
        {
            await call.RequestStream.WriteAsync(new UploadLogRequest { Data = data });
        }

        await call.RequestStream.CompleteAsync();
        var response = await call.ResponseAsync.WaitAsync(CallTimeout);
        clock.Stop();
        if (response.BytesStored != total)
        {
            throw new InvalidOperationException($"Stored {response.BytesStored} of {total} bytes.");
        }

        return total / 1e6 / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Latencies (ms) of <paramref name="rounds"/> TailLog calls of the last 100 lines, after a few warm-up calls.</summary>
    public async Task<List<double>> TailAsync(string instanceId, int rounds)
    {
        var latencies = new List<double>(rounds);
        for (var i = -5; i < rounds; i++)
        {
            var clock = Stopwatch.StartNew();
            using var call = client.TailLog(new TailLogRequest { InstanceId = instanceId, LogName = "guest", Lines = 100 });
            var lines = 0;
            while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(CallTimeout))
            {
                lines += call.ResponseStream.Current.Lines?.Lines.Count ?? 0;
            }

            clock.Stop();
            if (lines != 100)
            {
                throw new InvalidOperationException($"Tail returned {lines} lines.");
            }

            if (i >= 0)
            {
                latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        return latencies;
    }

    /// <summary>About <paramref name="size"/> bytes of realistic log lines (60–200 bytes each), ending in a line break.</summary>
    private static byte[] MakeLines(int size)
    {
        var text = new StringBuilder(size + 256);
        for (var i = 0; text.Length < size - 256; i++)
        {
            text.Append("2024-05-01T12:00:00.000Z INFO guestagent.manager [req-").Append(i).Append("] publishing log segment ")
                .Append('x', i * 31 % 140).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
