namespace Grpc.Core;

/// <summary>Base of generated clients.</summary>
public abstract class ClientBase
{
    private readonly ClientBaseConfiguration _configuration;

    /// <summary>For mocking.</summary>
    protected ClientBase()
        : this(new UnimplementedCallInvoker())
    {
    }

    /// <summary>Creates a client from a configuration (used by <c>NewInstance</c>).</summary>
    protected ClientBase(ClientBaseConfiguration configuration) => _configuration = configuration ?? throw new ArgumentNullException(nameof(configuration));

    /// <summary>Creates a client on a channel.</summary>
    protected ClientBase(ChannelBase channel)
        : this((channel ?? throw new ArgumentNullException(nameof(channel))).CreateCallInvoker())
    {
    }

    /// <summary>Creates a client on a call invoker.</summary>
    protected ClientBase(CallInvoker callInvoker)
        : this(new ClientBaseConfiguration(callInvoker ?? throw new ArgumentNullException(nameof(callInvoker)), null))
    {
    }

    /// <summary>The invoker calls go through.</summary>
    protected CallInvoker CallInvoker => _configuration.CallInvoker;

    /// <summary>The configuration this client was made from.</summary>
    internal ClientBaseConfiguration Configuration => _configuration;

    /// <summary>What a client is made from: an invoker and an optional host override.</summary>
    protected internal class ClientBaseConfiguration
    {
        internal ClientBaseConfiguration(CallInvoker callInvoker, string? host)
        {
            CallInvoker = callInvoker;
            Host = host;
        }

        internal CallInvoker CallInvoker { get; }

        internal string? Host { get; }
    }

    private sealed class UnimplementedCallInvoker : CallInvoker
    {
        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotImplementedException();

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotImplementedException();

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotImplementedException();

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotImplementedException();

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotImplementedException();
    }
}

/// <summary>Base of generated clients, typed so <c>WithHost</c> returns the client type.</summary>
public abstract class ClientBase<T> : ClientBase
    where T : ClientBase<T>
{
    /// <summary>For mocking.</summary>
    protected ClientBase()
    {
    }

    /// <summary>Creates a client from a configuration.</summary>
    protected ClientBase(ClientBaseConfiguration configuration)
        : base(configuration)
    {
    }

    /// <summary>Creates a client on a channel.</summary>
    protected ClientBase(ChannelBase channel)
        : base(channel)
    {
    }

    /// <summary>Creates a client on a call invoker.</summary>
    protected ClientBase(CallInvoker callInvoker)
        : base(callInvoker)
    {
    }

    /// <summary>A copy of this client that calls another host.</summary>
    public T WithHost(string host) => NewInstance(new ClientBaseConfiguration(CallInvoker, host ?? throw new ArgumentNullException(nameof(host))));

    /// <summary>Creates a new client of the same type from a configuration.</summary>
    protected abstract T NewInstance(ClientBaseConfiguration configuration);
}
