namespace Grpc.Core;

/// <summary>Turns messages of type <typeparamref name="T"/> into bytes and back.</summary>
public class Marshaller<T>
{
    /// <summary>Creates a marshaller from simple array-based functions.</summary>
    public Marshaller(Func<T, byte[]> serializer, Func<byte[], T> deserializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(deserializer);
        Serializer = serializer;
        Deserializer = deserializer;
        ContextualSerializer = (value, context) => context.Complete(serializer(value));
        ContextualDeserializer = context => deserializer(context.PayloadAsNewBuffer());
    }

    /// <summary>Creates a marshaller from context-based functions (what generated code uses).</summary>
    public Marshaller(Action<T, SerializationContext> serializer, Func<DeserializationContext, T> deserializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(deserializer);
        ContextualSerializer = serializer;
        ContextualDeserializer = deserializer;
        Serializer = value =>
        {
            var context = new EventLog.Rpc.Internal.ArraySerializationContext();
            serializer(value, context);
            return context.GetPayload();
        };
        Deserializer = payload => deserializer(new EventLog.Rpc.Internal.ArrayDeserializationContext(payload));
    }

    /// <summary>Serializes to a new array.</summary>
    public Func<T, byte[]> Serializer { get; }

    /// <summary>Deserializes from an array.</summary>
    public Func<byte[], T> Deserializer { get; }

    /// <summary>Serializes into a context.</summary>
    public Action<T, SerializationContext> ContextualSerializer { get; }

    /// <summary>Deserializes from a context.</summary>
    public Func<DeserializationContext, T> ContextualDeserializer { get; }
}
