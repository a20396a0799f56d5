using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Grpc.Health.V1;

namespace EventLog.Security.Tests.Fuzz;

/// <summary>
/// Below gRPC: raw HTTP/2 connections that send the preface and then random frames (any type, flags, stream id
/// and length, truncated or oversized). The server must drop the bad connections and keep serving others.
/// </summary>
public sealed class Http2FrameFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly byte[] Preface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    private EventLogHost? _server;

    public async Task InitializeAsync() => _server = await EventLogHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task RandomFrames_DoNotTakeTheServerDown()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("EVENTLOG_FUZZ_SEED"), out var s) ? s : Random.Shared.Next();
        output.WriteLine($"frame fuzz seed {seed}");
        var rng = new Random(seed);
        var connections = Enumerable.Range(0, 300).Select(_ => rng.Next()).ToArray();

        await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (connectionSeed, _) =>
            await FuzzConnectionAsync(new Random(connectionSeed))).WaitAsync(TimeSpan.FromMinutes(5));

        var health = new Health.HealthClient(_server!.CreateChannel(TestTokens.Admin));
        var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: TestTimeouts.Deadline()).ResponseAsync.WithTimeout();
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    private async Task FuzzConnectionAsync(Random rng)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(_server!.Address.Host, _server.Address.Port, timeout.Token);
        var data = new MemoryStream();
        data.Write(Preface);
        WriteFrame(data, type: 4, flags: 0, stream: 0, payload: []); // an empty SETTINGS: a valid start
        for (var i = rng.Next(1, 12); i > 0; i--)
        {
            var payload = new byte[rng.Next(20) == 0 ? rng.Next(16_385, 70_000) : rng.Next(0, 64)];
            rng.NextBytes(payload);
            var type = (byte)(rng.Next(4) == 0 ? rng.Next(0, 256) : rng.Next(0, 10));
            var stream = rng.Next(3) switch { 0 => 0, 1 => rng.Next(1, 20) | 1, _ => rng.Next() };
            WriteFrame(data, type, (byte)rng.Next(0, 256), stream, payload, declaredLength: rng.Next(10) == 0 ? rng.Next(0, 1 << 24) : null);
        }
        try
        {
            await socket.SendAsync(data.ToArray(), SocketFlags.None, timeout.Token);
            // Read what the server answers (SETTINGS, GOAWAY...) until it closes or a short while passes.
            var buffer = new byte[4096];
            using var readTimeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, readTimeout.Token) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            // The server reset or closed the connection, or kept it open: all fine, as long as it keeps serving.
        }
    }

    private static void WriteFrame(MemoryStream data, byte type, byte flags, int stream, byte[] payload, int? declaredLength = null)
    {
        Span<byte> header = stackalloc byte[9];
        var length = declaredLength ?? payload.Length;
        header[0] = (byte)(length >> 16);
        header[1] = (byte)(length >> 8);
        header[2] = (byte)length;
        header[3] = type;
        header[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(header[5..], stream & 0x7FFF_FFFF);
        data.Write(header);
        data.Write(payload);
    }
}
