using System.Buffers;
using Grpc.Core;

namespace EventLog.Rpc.Internal;

/// <summary>Exposes one received payload to a deserializer; <see cref="Rent"/> reuses one instance per thread.</summary>
internal sealed class ArrayDeserializationContext : DeserializationContext
{
    [ThreadStatic]
    private static ArrayDeserializationContext? t_spare;

    private ReadOnlySequence<byte> _payload;

    public ArrayDeserializationContext(ReadOnlySequence<byte> payload)
    {
        _payload = payload;
    }

    public ArrayDeserializationContext(byte[] payload)
        : this(new ReadOnlySequence<byte>(payload))
    {
    }

    public override int PayloadLength => checked((int)_payload.Length);

    public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => _payload;

    /// <summary>
    /// A context for <paramref name="payload"/>, to be handed back with <see cref="Return"/> once the deserializer returned.
    /// Deserializers run synchronously, so one spare per thread serves every message without an allocation; a nested
    /// use on the same thread simply gets a new one.
    /// </summary>
    public static ArrayDeserializationContext Rent(ReadOnlySequence<byte> payload)
    {
        var context = t_spare;
        if (context is null)
        {
            return new ArrayDeserializationContext(payload);
        }
        t_spare = null;
        context._payload = payload;
        return context;
    }

    /// <summary>Forgets the payload (the buffers it points into go back to the pipe) and keeps the instance for the next message.</summary>
    public static void Return(ArrayDeserializationContext context)
    {
        context._payload = default;
        t_spare = context;
    }
}
