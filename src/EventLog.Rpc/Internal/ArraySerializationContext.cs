using System.Buffers;
using Grpc.Core;

namespace EventLog.Rpc.Internal;

/// <summary>Collects a serialized message into one array.</summary>
internal sealed class ArraySerializationContext : SerializationContext
{
    private ArrayBufferWriter<byte>? _writer;
    private byte[]? _payload;

    public override void Complete(byte[] payload) => _payload = payload;

    public override IBufferWriter<byte> GetBufferWriter() => _writer ??= new ArrayBufferWriter<byte>();

    public override void SetPayloadLength(int payloadLength) => _writer ??= new ArrayBufferWriter<byte>(Math.Max(payloadLength, 1));

    public override void Complete() => _payload = _writer is null ? [] : _writer.WrittenSpan.ToArray();

    public byte[] GetPayload() => _payload ?? throw new InvalidOperationException("The serializer did not complete the message.");
}
