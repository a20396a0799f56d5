using System.Buffers.Binary;

namespace EventLog.Interop.Tests.Malformed.Http2;

public sealed partial class Http2Connection
{
    /// <summary>Frame types (RFC 9113 6).</summary>
    public static class FrameType
    {
        public const byte Data = 0x0, Headers = 0x1, RstStream = 0x3, Settings = 0x4, Ping = 0x6, GoAway = 0x7, WindowUpdate = 0x8, Continuation = 0x9;
    }

    /// <summary>Frame flags (RFC 9113 6).</summary>
    public static class Flags
    {
        public const byte EndStream = 0x1, Ack = 0x1, EndHeaders = 0x4, Padded = 0x8, Priority = 0x20;
    }

    private async Task ReadLoopAsync()
    {
        var header = new byte[9];
        Exception? failure = null;
        try
        {
            while (true)
            {
                await _stream.ReadExactlyAsync(header, _closing.Token);
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                var payload = new byte[length];
                await _stream.ReadExactlyAsync(payload, _closing.Token);
                await OnFrameAsync(header[3], header[4], BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & 0x7FFF_FFFF, payload);
            }
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        foreach (var state in _streams.Values)
        {
            state.Completion.TrySetException(new IOException($"The connection closed before the stream ended (GOAWAY {GoAwayCode?.ToString() ?? "none"}).", failure));
        }
        _serverSettings.TrySetException(new IOException("The connection closed before the server's SETTINGS.", failure));
    }

    private async Task OnFrameAsync(byte type, byte flags, int streamId, byte[] payload)
    {
        switch (type)
        {
            case FrameType.Settings when (flags & Flags.Ack) == 0:
                ApplySettings(payload);
                await WriteFrameAsync(FrameType.Settings, Flags.Ack, 0, ReadOnlyMemory<byte>.Empty, _closing.Token);
                _serverSettings.TrySetResult();
                break;
            case FrameType.Ping when (flags & Flags.Ack) == 0:
                await WriteFrameAsync(FrameType.Ping, Flags.Ack, 0, payload, _closing.Token);
                break;
            case FrameType.WindowUpdate:
                var increment = BinaryPrimitives.ReadInt32BigEndian(payload) & 0x7FFF_FFFF;
                lock (_windowLock)
                {
                    if (streamId == 0)
                    {
                        _connectionSendWindow += increment;
                    }
                    else if (_streams.TryGetValue(streamId, out var windowed))
                    {
                        windowed.SendWindow += increment;
                    }
                }
                OnWindowChanged();
                break;
            case FrameType.Headers or FrameType.Continuation when _streams.TryGetValue(streamId, out var state):
                OnHeaderFragment(state, type, flags, payload);
                break;
            case FrameType.Data when _streams.TryGetValue(streamId, out var state):
                var data = Unpad(payload, flags);
                state.Body.Write(data);
                if (payload.Length > 0)
                {
                    // Hand the credit straight back, so any response size flows.
                    var update = new byte[4];
                    BinaryPrimitives.WriteInt32BigEndian(update, payload.Length);
                    await WriteFrameAsync(FrameType.WindowUpdate, 0, 0, update, _closing.Token);
                    if ((flags & Flags.EndStream) == 0)
                    {
                        await WriteFrameAsync(FrameType.WindowUpdate, 0, streamId, update, _closing.Token);
                    }
                }
                if ((flags & Flags.EndStream) != 0)
                {
                    state.Complete(endedByServer: true, resetCode: null);
                }
                break;
            case FrameType.RstStream when _streams.TryGetValue(streamId, out var state):
                state.Complete(endedByServer: false, resetCode: BinaryPrimitives.ReadInt32BigEndian(payload));
                OnWindowChanged();
                break;
            case FrameType.GoAway:
                GoAwayCode = BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(4));
                break;
        }
    }

    private void OnHeaderFragment(StreamState state, byte type, byte flags, byte[] payload)
    {
        if (type == FrameType.Headers)
        {
            var fragment = Unpad(payload, flags);
            if ((flags & Flags.Priority) != 0)
            {
                fragment = fragment[5..];
            }
            state.HeaderBlock.Write(fragment);
            state.BlockEndsStream = (flags & Flags.EndStream) != 0;
        }
        else
        {
            state.HeaderBlock.Write(payload);
        }
        if ((flags & Flags.EndHeaders) == 0)
        {
            return;
        }
        // The decoder's table is the connection's: blocks are decoded in arrival order, here on the reader.
        var fields = _decoder.Decode(state.HeaderBlock.ToArray());
        state.HeaderBlock.SetLength(0);
        (state.Headers.Count == 0 ? state.Headers : state.Trailers).AddRange(fields);
        if (state.BlockEndsStream)
        {
            state.Complete(endedByServer: true, resetCode: null);
        }
    }

    private void ApplySettings(byte[] payload)
    {
        for (var i = 0; i + 6 <= payload.Length; i += 6)
        {
            var id = BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(i));
            var value = BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(i + 2));
            if (id == 0x4)
            {
                // SETTINGS_INITIAL_WINDOW_SIZE applies to open streams as a delta (RFC 9113 6.9.2).
                lock (_windowLock)
                {
                    var delta = value - _initialStreamSendWindow;
                    _initialStreamSendWindow = value;
                    foreach (var state in _streams.Values)
                    {
                        state.SendWindow += delta;
                    }
                }
                OnWindowChanged();
            }
        }
    }

    private static ReadOnlySpan<byte> Unpad(byte[] payload, byte flags)
    {
        if ((flags & Flags.Padded) == 0)
        {
            return payload;
        }
        var padding = payload[0];
        return payload.AsSpan(1, payload.Length - 1 - padding);
    }

    private sealed class StreamState(int sendWindow)
    {
        public TaskCompletionSource<Http2Response> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long SendWindow { get; set; } = sendWindow;

        public MemoryStream HeaderBlock { get; } = new();

        public bool BlockEndsStream { get; set; }

        public List<(string Name, string Value)> Headers { get; } = [];

        public List<(string Name, string Value)> Trailers { get; } = [];

        public MemoryStream Body { get; } = new();

        public void Complete(bool endedByServer, int? resetCode) =>
            Completion.TrySetResult(new Http2Response(Headers, Trailers, Body.ToArray(), endedByServer, resetCode));
    }
}
