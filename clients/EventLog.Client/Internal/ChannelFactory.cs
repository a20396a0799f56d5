using System.Net;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;

namespace EventLog.Client.Internal;

/// <summary>Builds the <see cref="GrpcChannel"/> of a client from its options.</summary>
internal static class ChannelFactory
{
    /// <summary>The target of a channel balanced over <see cref="EventLogClientOptions.Addresses"/>.</summary>
    private const string BalancedTarget = "static:///eventlog";

    public static GrpcChannel Create(EventLogClientOptions options)
    {
        var addresses = options.Addresses.Count > 0 ? options.Addresses : [options.Address];
        var secure = addresses[0].Scheme == Uri.UriSchemeHttps;
        var channelOptions = new GrpcChannelOptions
        {
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
            MaxSendMessageSize = options.MaxSendMessageSize,
            HttpHandler = options.HttpHandler ?? CreateHandler(options),
            // A handler the caller passed in is theirs to dispose.
            DisposeHttpClient = options.HttpHandler is null,
            // The token goes with every call as call credentials; on http:// (h2c on loopback or inside a
            // private network) grpc-dotnet drops them unless told otherwise.
            UnsafeUseInsecureChannelCallCredentials = !secure,
            // The SDK retries by itself (CallRunner) with the server's idempotency in mind.
            MaxRetryAttempts = null,
            // grpc-dotnet fails calls at once while a connection it lost waits out its reconnect backoff (1 s growing
            // to 120 s by default), so every retry of the SDK could fall into one wait and a server that restarts in a
            // second would still fail the call. Reconnects are tried at least as often as the SDK's first retry comes.
            InitialReconnectBackoff = ReconnectBackoff(options) / 2,
            MaxReconnectBackoff = ReconnectBackoff(options),
        };
        if (options.Addresses.Count == 0)
        {
            return GrpcChannel.ForAddress(options.Address, channelOptions);
        }
        channelOptions.Credentials = secure ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
        channelOptions.ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } };
        channelOptions.ServiceProvider = new BalancerServices(new StaticResolverFactory(_ => addresses.Select(a => new BalancerAddress(a.Host, a.Port))));
        return GrpcChannel.ForAddress(BalancedTarget, channelOptions);
    }

    private static TimeSpan ReconnectBackoff(EventLogClientOptions options) =>
        options.Retry.InitialBackoff < TimeSpan.FromMilliseconds(20) ? TimeSpan.FromMilliseconds(20) : options.Retry.InitialBackoff;

    private static SocketsHttpHandler CreateHandler(EventLogClientOptions options) => new()
    {
        // One HTTP/2 connection allows only as many concurrent streams as the server's
        // SETTINGS_MAX_CONCURRENT_STREAMS; open another instead of queueing calls.
        EnableMultipleHttp2Connections = true,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        // Pings find a connection a NAT or a dead server dropped silently, so follows and watches resume.
        KeepAlivePingDelay = options.KeepAlivePingDelay,
        KeepAlivePingTimeout = options.KeepAlivePingTimeout,
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        ConnectTimeout = options.ConnectTimeout,
        AutomaticDecompression = DecompressionMethods.None,
        AllowAutoRedirect = false,
        UseCookies = false,
        // grpc-message must be percent-encoded ASCII, but some peers send raw UTF-8; decode it as such rather than Latin-1.
        ResponseHeaderEncodingSelector = static (_, _) => Encoding.UTF8,
    };

    /// <summary>The services a balanced channel asks for: the resolver of the static address list.</summary>
    private sealed class BalancerServices(ResolverFactory resolver) : IServiceProvider
    {
        public object? GetService(Type serviceType) =>
            serviceType == typeof(ResolverFactory) ? resolver
            : serviceType == typeof(IEnumerable<ResolverFactory>) ? new[] { resolver }
            : null;
    }
}
