using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Grpc.Core;

namespace EventLog.Rpc.Internal;

/// <summary>
/// Serializes one message straight into a pipe as a gRPC frame. When the marshaller announces the
/// length (protobuf does), the 5-byte header goes first and the message is written in place, with no
/// intermediate array; otherwise, or when compressing, the payload is collected first.
/// </summary>
internal sealed class FrameSerializationContext : SerializationContext, IBufferWriter<byte>
{
    private PipeWriter _writer = null!;
    private int _maxMessageSize;
    private string? _compressEncoding;
    private int _declaredLength;
    private int _written;
    private Memory<byte> _reserved;
    private int _reservedUsed;
    private bool _completed;
    private ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static FrameSerializationContext? t_spare;

    /// <summary>
    /// A context for one message into <paramref name="writer"/>, to be handed back with <see cref="Return"/> once the
    /// serializer returned. Serializers run synchronously, so one spare per thread serves every message without an
    /// allocation; a nested use on the same thread simply gets a new one.
    /// </summary>
    public static FrameSerializationContext Rent(PipeWriter writer, int maxMessageSize, string? compressEncoding)
    {
        var context = t_spare ?? new FrameSerializationContext();
        t_spare = null;
        context.Reset(writer, maxMessageSize, compressEncoding);
        return context;
    }

    /// <summary>Lets go of the writer and keeps the instance for the next message on this thread.</summary>
    public static void Return(FrameSerializationContext context)
    {
        context._writer = null!;
        context._reserved = default;
        // A huge payload collected for compression is not kept alive by an idle thread.
        if (context._buffer is { Capacity: > 64 * 1024 })
        {
            context._buffer = null;
        }
        t_spare = context;
    }

    private void Reset(PipeWriter writer, int maxMessageSize, string? compressEncoding)
    {
        _writer = writer;
        _maxMessageSize = maxMessageSize;
        _compressEncoding = compressEncoding;
        _declaredLength = -1;
        _written = 0;
        _reserved = default;
        _reservedUsed = 0;
        _completed = false;
        _buffer?.ResetWrittenCount();
    }

    /// <summary>Throws unless the marshaller completed the message.</summary>
    public void EnsureCompleted()
    {
        if (!_completed)
        {
            throw new InvalidOperationException("The serializer did not complete the message.");
        }
    }

    public override void SetPayloadLength(int payloadLength)
    {
        CheckSize(payloadLength);
        _declaredLength = payloadLength;
        if (_compressEncoding is null)
        {
            // One span for header and message: each GetSpan/Advance on a server response writer takes a lock.
            _reserved = _writer.GetMemory(GrpcProtocol.HeaderSize + payloadLength);
            WriteHeader(_reserved.Span, compressed: false, payloadLength);
            _reservedUsed = GrpcProtocol.HeaderSize;
        }
    }

    public override IBufferWriter<byte> GetBufferWriter() =>
        _declaredLength >= 0 && _compressEncoding is null ? this : (_buffer ??= new ArrayBufferWriter<byte>());

    public override void Complete()
    {
        if (_declaredLength >= 0 && _compressEncoding is null)
        {
            if (_written != _declaredLength)
            {
                throw new InvalidOperationException($"The serializer announced {_declaredLength} bytes but wrote {_written}.");
            }
            CommitReserved();
        }
        else
        {
            WritePayload(_buffer is null ? [] : _buffer.WrittenSpan);
        }
        _completed = true;
    }

    public override void Complete(byte[] payload)
    {
        WritePayload(payload);
        _completed = true;
    }

    void IBufferWriter<byte>.Advance(int count)
    {
        _written += count;
        if (_reserved.IsEmpty)
        {
            _writer.Advance(count);
        }
        else
        {
            _reservedUsed += count;
        }
    }

    Memory<byte> IBufferWriter<byte>.GetMemory(int sizeHint)
    {
        var free = _reserved[_reservedUsed..];
        if (!_reserved.IsEmpty && free.Length >= Math.Max(sizeHint, 1))
        {
            return free;
        }
        // The serializer wants more than it announced: stop using the reserved span and write through.
        CommitReserved();
        return _writer.GetMemory(sizeHint);
    }

    Span<byte> IBufferWriter<byte>.GetSpan(int sizeHint) => ((IBufferWriter<byte>)this).GetMemory(sizeHint).Span;

    private void CommitReserved()
    {
        if (!_reserved.IsEmpty)
        {
            _writer.Advance(_reservedUsed);
            _reserved = default;
            _reservedUsed = 0;
        }
    }

    private void WritePayload(ReadOnlySpan<byte> payload)
    {
        CheckSize(payload.Length);
        var compressed = _compressEncoding == GrpcProtocol.GzipEncoding;
        if (compressed)
        {
            payload = MessageFraming.Gzip(payload);
        }
        var frame = _writer.GetSpan(GrpcProtocol.HeaderSize + payload.Length);
        WriteHeader(frame, compressed, payload.Length);
        payload.CopyTo(frame[GrpcProtocol.HeaderSize..]);
        _writer.Advance(GrpcProtocol.HeaderSize + payload.Length);
    }

    private static void WriteHeader(Span<byte> frame, bool compressed, int length)
    {
        frame[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame[1..], (uint)length);
    }

    private void CheckSize(int length)
    {
        if (length > _maxMessageSize)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Sending message exceeds the maximum configured message size ({length} > {_maxMessageSize})."));
        }
    }
}
