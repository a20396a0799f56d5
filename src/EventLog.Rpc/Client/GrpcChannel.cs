using System.Net;
using System.Text;
using EventLog.Rpc.Client.Internal;
using EventLog.Rpc.Internal;
using Grpc.Core;

namespace EventLog.Rpc.Client;

/// <summary>
/// A gRPC channel over HTTP/2 on <see cref="System.Net.Http.HttpClient"/>: <c>http://</c> addresses use
/// cleartext HTTP/2 with prior knowledge, <c>https://</c> addresses TLS with ALPN <c>h2</c>.
/// Thread-safe; create one per server and share it, since it owns the connection pool.
/// </summary>
public sealed class GrpcChannel : ChannelBase, IDisposable
{
    private readonly bool _disposeHttpClient;
    private readonly HttpClientCallInvoker _invoker;
    private volatile bool _disposed;

    private GrpcChannel(Uri address, GrpcChannelOptions options)
        : base(address.Authority)
    {
        Address = address;
        // The request path is appended to this, so an address with a path prefix keeps it.
        BaseUri = address.GetLeftPart(UriPartial.Path).TrimEnd('/');
        MaxReceiveMessageSize = options.MaxReceiveMessageSize ?? int.MaxValue;
        MaxSendMessageSize = options.MaxSendMessageSize ?? int.MaxValue;
        CallCredentials = options.CallCredentials;
        if (options.CompressRequests)
        {
            if (options.RequestEncoding != GrpcProtocol.GzipEncoding)
            {
                throw new ArgumentException($"Unsupported request encoding '{options.RequestEncoding}'; only gzip is supported.", nameof(options));
            }
            RequestEncoding = options.RequestEncoding;
        }
        if (options.HttpClient is not null)
        {
            HttpClient = options.HttpClient;
            _disposeHttpClient = options.DisposeHttpClient;
        }
        else if (options.HttpHandler is not null)
        {
            HttpClient = CreateHttpClient(options.HttpHandler, disposeHandler: options.DisposeHttpClient);
            _disposeHttpClient = true;
        }
        else
        {
            HttpClient = CreateHttpClient(CreateHandler(options), disposeHandler: true);
            _disposeHttpClient = true;
        }
        _invoker = new HttpClientCallInvoker(this);
    }

    /// <summary>The server address the channel was created for.</summary>
    public Uri Address { get; }

    internal string BaseUri { get; }

    internal HttpClient HttpClient { get; }

    internal int MaxReceiveMessageSize { get; }

    internal int MaxSendMessageSize { get; }

    internal string? RequestEncoding { get; }

    internal Func<Metadata, CancellationToken, ValueTask>? CallCredentials { get; }

    /// <summary>Creates a channel for an address such as <c>http://127.0.0.1:50051</c>.</summary>
    /// <param name="address">An absolute <c>http</c> or <c>https</c> address.</param>
    /// <param name="channelOptions">Settings, or null for the defaults.</param>
    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? channelOptions = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        return ForAddress(new Uri(address, UriKind.Absolute), channelOptions);
    }

    /// <summary>Creates a channel for an address such as <c>https://eventlog.example.com</c>.</summary>
    /// <param name="address">An absolute <c>http</c> or <c>https</c> address.</param>
    /// <param name="channelOptions">Settings, or null for the defaults.</param>
    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? channelOptions = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The address '{address}' must be an absolute http:// or https:// URI.", nameof(address));
        }
        return new GrpcChannel(address, channelOptions ?? new GrpcChannelOptions());
    }

    /// <inheritdoc/>
    public override CallInvoker CreateCallInvoker()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _invoker;
    }

    /// <summary>Closes the channel's connections; calls still running fail.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (_disposeHttpClient)
        {
            HttpClient.Dispose();
        }
    }

    /// <inheritdoc/>
    protected override Task ShutdownAsyncCore()
    {
        Dispose();
        return Task.CompletedTask;
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private static HttpClient CreateHttpClient(HttpMessageHandler handler, bool disposeHandler) => new(handler, disposeHandler)
    {
        // Streaming calls run for as long as the caller wants; deadlines are per call.
        Timeout = Timeout.InfiniteTimeSpan,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    private static SocketsHttpHandler CreateHandler(GrpcChannelOptions options) => new()
    {
        // One HTTP/2 connection allows only as many concurrent streams as the server's
        // SETTINGS_MAX_CONCURRENT_STREAMS; open another instead of queueing calls.
        EnableMultipleHttp2Connections = true,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        KeepAlivePingDelay = options.KeepAlivePingDelay,
        KeepAlivePingTimeout = options.KeepAlivePingTimeout,
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        ConnectTimeout = TimeSpan.FromSeconds(20),
        AutomaticDecompression = DecompressionMethods.None,
        AllowAutoRedirect = false,
        UseCookies = false,
        // grpc-message must be percent-encoded ASCII, but some peers send raw UTF-8; decode it as such rather than Latin-1.
        ResponseHeaderEncodingSelector = static (_, _) => Encoding.UTF8,
    };
}
