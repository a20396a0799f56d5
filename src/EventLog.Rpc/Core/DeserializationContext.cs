using System.Buffers;

namespace Grpc.Core;

/// <summary>The payload of one received message, for a marshaller to read.</summary>
public abstract class DeserializationContext
{
    /// <summary>The payload length in bytes.</summary>
    public abstract int PayloadLength { get; }

    /// <summary>Copies the payload into a new array.</summary>
    public virtual byte[] PayloadAsNewBuffer() => PayloadAsReadOnlySequence().ToArray();

    /// <summary>The payload without copying; valid only during the deserializer call.</summary>
    public abstract ReadOnlySequence<byte> PayloadAsReadOnlySequence();
}
