namespace Grpc.Core;

/// <summary>A method with its request and response marshallers.</summary>
public class Method<TRequest, TResponse> : IMethod
{
    /// <summary>Creates a method description.</summary>
    public Method(MethodType type, string serviceName, string name, Marshaller<TRequest> requestMarshaller, Marshaller<TResponse> responseMarshaller)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Type = type;
        ServiceName = serviceName;
        Name = name;
        RequestMarshaller = requestMarshaller ?? throw new ArgumentNullException(nameof(requestMarshaller));
        ResponseMarshaller = responseMarshaller ?? throw new ArgumentNullException(nameof(responseMarshaller));
        FullName = "/" + serviceName + "/" + name;
    }

    /// <inheritdoc/>
    public MethodType Type { get; }

    /// <inheritdoc/>
    public string ServiceName { get; }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public string FullName { get; }

    /// <summary>Marshaller for requests.</summary>
    public Marshaller<TRequest> RequestMarshaller { get; }

    /// <summary>Marshaller for responses.</summary>
    public Marshaller<TResponse> ResponseMarshaller { get; }
}
