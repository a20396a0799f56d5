namespace Grpc.Core;

/// <summary>What a server handler knows about its call, and what it may set on it.</summary>
public abstract class ServerCallContext
{
    private Dictionary<object, object>? _userState;

    /// <summary>The method's full name, e.g. <c>/eventlog.v1.TaskLogService/GetTask</c>.</summary>
    public string Method => MethodCore;

    /// <summary>The authority the client called.</summary>
    public string Host => HostCore;

    /// <summary>The peer address, e.g. <c>ipv4:127.0.0.1:5555</c>.</summary>
    public string Peer => PeerCore;

    /// <summary>The call's deadline (UTC), or <see cref="DateTime.MaxValue"/> if none.</summary>
    public DateTime Deadline => DeadlineCore;

    /// <summary>The request headers the client sent.</summary>
    public Metadata RequestHeaders => RequestHeadersCore;

    /// <summary>Fires when the call is cancelled by the client, its deadline passes, or the server stops.</summary>
    public CancellationToken CancellationToken => CancellationTokenCore;

    /// <summary>Trailers to send with the status.</summary>
    public Metadata ResponseTrailers => ResponseTrailersCore;

    /// <summary>The status to send when the handler returns normally.</summary>
    public Status Status
    {
        get => StatusCore;
        set => StatusCore = value;
    }

    /// <summary>Options for writes of responses.</summary>
    public WriteOptions? WriteOptions
    {
        get => WriteOptionsCore;
        set => WriteOptionsCore = value;
    }

    /// <summary>State that interceptors and handlers share for this call.</summary>
    public IDictionary<object, object> UserState => UserStateCore;

    /// <summary>Sends the response headers now (at most once, before the first message).</summary>
    public Task WriteResponseHeadersAsync(Metadata responseHeaders) => WriteResponseHeadersAsyncCore(responseHeaders);

    /// <summary>Implementation of <see cref="Method"/>.</summary>
    protected abstract string MethodCore { get; }

    /// <summary>Implementation of <see cref="Host"/>.</summary>
    protected abstract string HostCore { get; }

    /// <summary>Implementation of <see cref="Peer"/>.</summary>
    protected abstract string PeerCore { get; }

    /// <summary>Implementation of <see cref="Deadline"/>.</summary>
    protected abstract DateTime DeadlineCore { get; }

    /// <summary>Implementation of <see cref="RequestHeaders"/>.</summary>
    protected abstract Metadata RequestHeadersCore { get; }

    /// <summary>Implementation of <see cref="CancellationToken"/>.</summary>
    protected abstract CancellationToken CancellationTokenCore { get; }

    /// <summary>Implementation of <see cref="ResponseTrailers"/>.</summary>
    protected abstract Metadata ResponseTrailersCore { get; }

    /// <summary>Implementation of <see cref="Status"/>.</summary>
    protected abstract Status StatusCore { get; set; }

    /// <summary>Implementation of <see cref="WriteOptions"/>.</summary>
    protected abstract WriteOptions? WriteOptionsCore { get; set; }

    /// <summary>Implementation of <see cref="UserState"/>.</summary>
    protected virtual IDictionary<object, object> UserStateCore => _userState ??= [];

    /// <summary>Implementation of <see cref="WriteResponseHeadersAsync"/>.</summary>
    protected abstract Task WriteResponseHeadersAsyncCore(Metadata responseHeaders);
}
