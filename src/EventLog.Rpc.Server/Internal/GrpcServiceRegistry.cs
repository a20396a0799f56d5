using System.Reflection;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace EventLog.Rpc.Server.Internal;

/// <summary>The services mapped on this server, with their descriptors for reflection.</summary>
internal sealed class GrpcServiceRegistry
{
    private readonly List<ServiceDescriptor> _services = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<ServiceDescriptor> Services
    {
        get
        {
            lock (_lock)
            {
                return _services.ToArray();
            }
        }
    }

    public void Add(ServiceDescriptor descriptor)
    {
        lock (_lock)
        {
            if (!_services.Any(s => s.FullName == descriptor.FullName))
            {
                _services.Add(descriptor);
            }
        }
    }

    /// <summary>Finds the generated bind attribute on a service implementation type or its bases.</summary>
    public static BindServiceMethodAttribute GetBindAttribute(Type serviceType)
    {
        for (var type = serviceType; type is not null; type = type.BaseType)
        {
            var attribute = type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false);
            if (attribute is not null)
            {
                return attribute;
            }
        }
        throw new InvalidOperationException($"{serviceType.Name} does not derive from a generated gRPC service base class ([BindServiceMethod] not found).");
    }

    /// <summary>The generated static <c>Descriptor</c> of the service class that declares the bind method.</summary>
    public static ServiceDescriptor? GetDescriptor(BindServiceMethodAttribute attribute) =>
        attribute.BindType.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as ServiceDescriptor;
}
