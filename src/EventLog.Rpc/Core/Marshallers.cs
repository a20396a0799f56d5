using System.Text;

namespace Grpc.Core;

/// <summary>Factory methods for marshallers.</summary>
public static class Marshallers
{
    /// <summary>Creates a marshaller from array-based functions.</summary>
    public static Marshaller<T> Create<T>(Func<T, byte[]> serializer, Func<byte[], T> deserializer) => new(serializer, deserializer);

    /// <summary>Creates a marshaller from context-based functions.</summary>
    public static Marshaller<T> Create<T>(Action<T, SerializationContext> serializer, Func<DeserializationContext, T> deserializer) => new(serializer, deserializer);

    /// <summary>UTF-8 strings.</summary>
    public static Marshaller<string> StringMarshaller { get; } = new(Encoding.UTF8.GetBytes, Encoding.UTF8.GetString);
}
