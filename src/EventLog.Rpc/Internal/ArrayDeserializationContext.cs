using System.Buffers;
using Grpc.Core;

namespace EventLog.Rpc.Internal;

/// <summary>Exposes one received payload to a deserializer.</summary>
internal sealed class ArrayDeserializationContext(ReadOnlySequence<byte> payload) : DeserializationContext
{
    public ArrayDeserializationContext(byte[] payload)
        : this(new ReadOnlySequence<byte>(payload))
    {
    }

    public override int PayloadLength => checked((int)payload.Length);

    public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => payload;
}
