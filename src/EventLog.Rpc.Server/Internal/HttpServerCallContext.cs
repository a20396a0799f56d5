using System.Net;
using EventLog.Rpc.Internal;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace EventLog.Rpc.Server.Internal;

/// <summary>The server side of one call: request metadata, deadline, response headers and status.</summary>
internal sealed partial class HttpServerCallContext : ServerCallContext, IDisposable
{
    private readonly HttpContext _httpContext;
    private readonly string _method;
    // Made on first use, with the registration on the client's reset: a small unary call whose handler never asks
    // for its token costs neither (measurable at 100k+ calls/s). Set once; read with Volatile.
    private CancellationTokenSource? _callCancellation;
    private int _cancelRequested;
    private bool _disposed;
    private Metadata? _requestHeaders;
    // Made on first use: most calls end without trailers of their own.
    private Metadata? _responseTrailers;
    private CancellationTokenRegistration _abortRegistration;
    private Status _status = Status.DefaultSuccess;
    private WriteOptions? _writeOptions;
    private string? _peer;
    private Task? _deadlineCompletion;

    public HttpServerCallContext(HttpContext httpContext, string method, GrpcServerOptions options, DateTime deadline, string? requestEncoding)
    {
        _httpContext = httpContext;
        _method = method;
        Options = options;
        DeadlineUtc = deadline;
        RequestEncoding = requestEncoding;
        ResponseEncoding = ChooseResponseEncoding(httpContext, options);
    }

    public GrpcServerOptions Options { get; }

    public HttpContext HttpContext => _httpContext;

    public DateTime DeadlineUtc { get; }

    public string? RequestEncoding { get; }

    public string? ResponseEncoding { get; }

    /// <summary>Set once the deadline has passed; the response then ends with DEADLINE_EXCEEDED.</summary>
    public bool DeadlineReached { get; private set; }

    /// <summary>Set when the client reset the stream.</summary>
    public bool ClientAborted { get; private set; }

    protected override string MethodCore => _method;

    protected override string HostCore => _httpContext.Request.Host.Value ?? "";

    protected override string PeerCore => _peer ??= FormatPeer(_httpContext.Connection.RemoteIpAddress, _httpContext.Connection.RemotePort);

    protected override DateTime DeadlineCore => DeadlineUtc;

    // Built on first use: enumerating Kestrel's header collection is a noticeable part of a small call.
    protected override Metadata RequestHeadersCore => _requestHeaders ??= RequestChecks.ReadMetadata(_httpContext);

    protected override CancellationToken CancellationTokenCore => CallCancellation.Token;

    /// <summary>The source of the handler's token, made on first use and cancelled at once if the call already ended.</summary>
    private CancellationTokenSource CallCancellation
    {
        get
        {
            if (Volatile.Read(ref _callCancellation) is { } existing)
            {
                return existing;
            }
            // After the call ended the HttpContext may already serve another request: no registration on it then.
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
            var created = new CancellationTokenSource();
            if (Interlocked.CompareExchange(ref _callCancellation, created, null) is { } raced)
            {
                created.Dispose();
                return raced;
            }
            _abortRegistration = _httpContext.RequestAborted.UnsafeRegister(static state => ((HttpServerCallContext)state!).OnClientAborted(), this);
            // A cancel that came before the source existed (deadline, shutdown) applies now; Interlocked on both
            // sides, so one of them sees the other.
            if (Interlocked.CompareExchange(ref _cancelRequested, 0, 0) != 0)
            {
                created.Cancel();
            }
            return created;
        }
    }

    protected override Metadata ResponseTrailersCore => _responseTrailers ??= [];

    protected override Status StatusCore
    {
        get => _status;
        set => _status = value;
    }

    protected override WriteOptions? WriteOptionsCore
    {
        get => _writeOptions;
        set => _writeOptions = value;
    }

    /// <summary>Set when the host is stopping; streams end with UNAVAILABLE.</summary>
    public bool ServerStopping { get; private set; }

    /// <summary>Called by the deadline timer: cancels the handler and sends DEADLINE_EXCEEDED at once.</summary>
    public void OnDeadline()
    {
        DeadlineReached = true;
        CancelHandler(cancelRead: true);
        Volatile.Write(ref _deadlineCompletion, CompleteAsync(ServerCallHandler.DeadlineStatus));
    }

    /// <summary>Waits until a status sent because of the deadline is fully written.</summary>
    public Task WaitForDeadlineCompletionAsync() => Volatile.Read(ref _deadlineCompletion) ?? Task.CompletedTask;

    /// <summary>Called when the host starts stopping.</summary>
    public void OnServerStopping()
    {
        ServerStopping = true;
        CancelHandler(cancelRead: true);
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        _abortRegistration.Dispose();
        Volatile.Read(ref _callCancellation)?.Dispose();
    }

    private void OnClientAborted()
    {
        ClientAborted = true;
        CancelHandler(cancelRead: false);
    }

    /// <summary>
    /// Cancels the handler's token; <paramref name="cancelRead"/> also ends a pending single-message read, which
    /// waits without the token (see HttpRequestStreamReader.ReadSingleAsync). Not on a client reset: Kestrel fails
    /// that read itself, and runs the reset's callbacks where touching the request body could deadlock.
    /// </summary>
    private void CancelHandler(bool cancelRead)
    {
        Interlocked.Exchange(ref _cancelRequested, 1);
        if (cancelRead)
        {
            try
            {
                _httpContext.Request.BodyReader.CancelPendingRead();
            }
            catch (Exception)
            {
                // Best effort, on a timer or shutdown thread where an exception would end the process: a body that
                // is already finished with, or a stream the client reset (Kestrel rethrows the reset's IOException
                // here), has no read left to cancel.
            }
        }
        try
        {
            Volatile.Read(ref _callCancellation)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call already ended.
        }
    }

    private static string? ChooseResponseEncoding(HttpContext httpContext, GrpcServerOptions options)
    {
        if (options.ResponseCompression != GrpcProtocol.GzipEncoding)
        {
            return null;
        }
        var accepted = httpContext.Request.Headers.GrpcAcceptEncoding;
        foreach (var value in accepted)
        {
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.TrimEntries))
            {
                if (part == GrpcProtocol.GzipEncoding)
                {
                    return GrpcProtocol.GzipEncoding;
                }
            }
        }
        return null;
    }

    private static string FormatPeer(IPAddress? address, int port) => address switch
    {
        null => "unknown",
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } => $"ipv6:[{address}]:{port}",
        _ => $"ipv4:{address}:{port}",
    };
}
