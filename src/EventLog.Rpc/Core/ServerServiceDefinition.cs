namespace Grpc.Core;

/// <summary>A service's methods bound to handlers, ready to be added to a server.</summary>
public class ServerServiceDefinition
{
    private readonly IReadOnlyList<Action<ServiceBinderBase>> _registrations;

    private ServerServiceDefinition(IReadOnlyList<Action<ServiceBinderBase>> registrations) => _registrations = registrations;

    /// <summary>Starts building a definition.</summary>
    public static Builder CreateBuilder() => new();

    /// <summary>Replays every method into a binder (how a server registers the definition).</summary>
    public void BindService(ServiceBinderBase serviceBinder)
    {
        ArgumentNullException.ThrowIfNull(serviceBinder);
        foreach (var register in _registrations)
        {
            register(serviceBinder);
        }
    }

    /// <summary>Builds a <see cref="ServerServiceDefinition"/>.</summary>
    public class Builder
    {
        private readonly List<Action<ServiceBinderBase>> _registrations = [];
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);

        /// <summary>Adds a unary method.</summary>
        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler)
            where TRequest : class
            where TResponse : class => Add(method, binder => binder.AddMethod(method, handler));

        /// <summary>Adds a client-streaming method.</summary>
        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class
            where TResponse : class => Add(method, binder => binder.AddMethod(method, handler));

        /// <summary>Adds a server-streaming method.</summary>
        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class
            where TResponse : class => Add(method, binder => binder.AddMethod(method, handler));

        /// <summary>Adds a duplex-streaming method.</summary>
        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class
            where TResponse : class => Add(method, binder => binder.AddMethod(method, handler));

        /// <summary>Builds the definition.</summary>
        public ServerServiceDefinition Build() => new(_registrations.ToArray());

        private Builder Add(IMethod method, Action<ServiceBinderBase> registration)
        {
            if (!_names.Add(method.FullName))
            {
                throw new InvalidOperationException($"Method {method.FullName} was added twice.");
            }
            _registrations.Add(registration);
            return this;
        }
    }
}
