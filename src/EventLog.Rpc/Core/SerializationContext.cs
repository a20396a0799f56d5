using System.Buffers;

namespace Grpc.Core;

/// <summary>Where a marshaller writes one serialized message.</summary>
public abstract class SerializationContext
{
    /// <summary>Completes serialization with the whole payload as one array.</summary>
    public virtual void Complete(byte[] payload) => throw new NotImplementedException();

    /// <summary>Gives a buffer writer to serialize into; call <see cref="Complete()"/> when done.</summary>
    public virtual IBufferWriter<byte> GetBufferWriter() => throw new NotImplementedException();

    /// <summary>Announces the payload length before writing into <see cref="GetBufferWriter"/>.</summary>
    public virtual void SetPayloadLength(int payloadLength)
    {
    }

    /// <summary>Completes serialization after writing into <see cref="GetBufferWriter"/>.</summary>
    public virtual void Complete() => throw new NotImplementedException();
}
