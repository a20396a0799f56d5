using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace EventLog.Interop.Tests.Malformed.Http2;

/// <summary>
/// A cleartext HTTP/2 client connection (RFC 9113, prior knowledge) over a bare socket, written for
/// tests: every byte of a request, headers included, is what the test asked for, with no HttpClient
/// in between to validate or fix it. It answers SETTINGS and PING, keeps flow control honest both
/// ways, and collects each stream's response frames.
/// </summary>
public sealed partial class Http2Connection : IAsyncDisposable
{
    /// <summary>The largest frame payload a peer must accept (SETTINGS_MAX_FRAME_SIZE default).</summary>
    public const int MaxFrameSize = 16_384;

    private const int DefaultWindow = 65_535;
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly HpackDecoder _decoder = new();
    private readonly ConcurrentDictionary<int, StreamState> _streams = new();
    private readonly TaskCompletionSource _serverSettings = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _closing = new();
    private readonly Lock _windowLock = new();
    private TaskCompletionSource _windowChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _connectionSendWindow = DefaultWindow;
    private int _initialStreamSendWindow = DefaultWindow;
    private int _nextStreamId = 1;
    private Task _reader = Task.CompletedTask;

    private Http2Connection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>The authority requests carry (<c>127.0.0.1:port</c>).</summary>
    public string Authority { get; private set; } = "";

    /// <summary>The error code of a GOAWAY from the server, if one came.</summary>
    public int? GoAwayCode { get; private set; }

    /// <summary>Completes when the server closed the connection (or it was disposed); never faults.</summary>
    public Task Closed => _reader;

    /// <summary>Connects, sends the preface and our SETTINGS, and waits for the server's SETTINGS.</summary>
    public static async Task<Http2Connection> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
        var connection = new Http2Connection(tcp) { Authority = $"127.0.0.1:{port}" };
        try
        {
            await connection.WriteRawAsync(Preface, cancellationToken);
            // ENABLE_PUSH = 0, INITIAL_WINDOW_SIZE = 1 MiB.
            await connection.WriteFrameAsync(FrameType.Settings, 0, 0, new byte[] { 0, 2, 0, 0, 0, 0, 0, 4, 0, 0x10, 0, 0 }, cancellationToken);
            connection._reader = Task.Run(connection.ReadLoopAsync, CancellationToken.None);
            await connection._serverSettings.Task.WaitAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The request pseudo-headers of a gRPC call to <paramref name="path"/>, then the gRPC headers, then <paramref name="extra"/>.</summary>
    public List<(string Name, string Value)> GrpcRequestHeaders(string path, string contentType = "application/grpc", params (string Name, string Value)[] extra) =>
    [
        (":method", "POST"), (":scheme", "http"), (":authority", Authority), (":path", path),
        ("content-type", contentType), ("te", "trailers"), .. extra,
    ];

    /// <summary>
    /// Opens the next stream: HEADERS with <paramref name="headers"/>, then <paramref name="body"/> in DATA
    /// frames (END_STREAM on the last unless <paramref name="endStream"/> is false). Returns when the
    /// server ended the stream, reset it, or went away.
    /// </summary>
    public async Task<Http2Response> SendAsync(IReadOnlyList<(string Name, string Value)> headers, byte[] body, CancellationToken cancellationToken, bool endStream = true)
    {
        var id = Interlocked.Add(ref _nextStreamId, 2) - 2;
        var state = new StreamState(_initialStreamSendWindow);
        _streams[id] = state;
        var block = HpackEncoder.Encode(headers);
        if (block.Length > MaxFrameSize)
        {
            throw new ArgumentException("Header block too large for one HEADERS frame.", nameof(headers));
        }
        var headersEndStream = body.Length == 0 && endStream;
        await WriteFrameAsync(FrameType.Headers, (byte)(Flags.EndHeaders | (headersEndStream ? Flags.EndStream : 0)), id, block, cancellationToken);
        for (var offset = 0; offset < body.Length;)
        {
            var size = await ReserveSendWindowAsync(state, Math.Min(MaxFrameSize, body.Length - offset), cancellationToken);
            if (size == 0)
            {
                break; // The server already ended or reset the stream: nothing more to send.
            }
            var last = offset + size == body.Length;
            await WriteFrameAsync(FrameType.Data, last && endStream ? Flags.EndStream : (byte)0, id, body.AsMemory(offset, size), cancellationToken);
            offset += size;
        }
        return await state.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Writes bytes as they are: for frames no well-formed client would send.</summary>
    public async Task WriteRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken);
            await _stream.FlushAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>A frame header (length, type, flags, stream id) followed by the payload.</summary>
    public static byte[] Frame(byte type, byte flags, int streamId, ReadOnlySpan<byte> payload, int? declaredLength = null)
    {
        var frame = new byte[9 + payload.Length];
        var length = declaredLength ?? payload.Length;
        frame[0] = (byte)(length >> 16);
        frame[1] = (byte)(length >> 8);
        frame[2] = (byte)length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), streamId & 0x7FFF_FFFF);
        payload.CopyTo(frame.AsSpan(9));
        return frame;
    }

    /// <summary>The id the next <see cref="SendAsync"/> will use.</summary>
    public int NextStreamId => Volatile.Read(ref _nextStreamId);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _closing.Cancel();
        _tcp.Dispose();
        try
        {
            await _reader.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException or TimeoutException)
        {
        }
        _closing.Dispose();
        _writeLock.Dispose();
    }

    private Task WriteFrameAsync(byte type, byte flags, int streamId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        WriteRawAsync(Frame(type, flags, streamId, payload.Span), cancellationToken);

    private async Task<int> ReserveSendWindowAsync(StreamState state, int wanted, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_windowLock)
            {
                if (state.Completion.Task.IsCompleted)
                {
                    return 0;
                }
                var available = (int)Math.Min(_connectionSendWindow, state.SendWindow);
                if (available > 0)
                {
                    var size = Math.Min(available, wanted);
                    _connectionSendWindow -= size;
                    state.SendWindow -= size;
                    return size;
                }
                changed = _windowChanged.Task;
            }
            await Task.WhenAny(changed, state.Completion.Task).WaitAsync(cancellationToken);
        }
    }

    private void OnWindowChanged()
    {
        TaskCompletionSource changed;
        lock (_windowLock)
        {
            changed = _windowChanged;
            _windowChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }
}
