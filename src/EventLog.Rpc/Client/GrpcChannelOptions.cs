using EventLog.Rpc.Internal;
using Grpc.Core;

namespace EventLog.Rpc.Client;

/// <summary>Settings of a <see cref="GrpcChannel"/>.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>
    /// The largest response message the client accepts, in bytes (after decompression); a larger one fails the
    /// call with <see cref="StatusCode.ResourceExhausted"/>. Null means no limit. Default: 4 MiB.
    /// </summary>
    public int? MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>
    /// The largest request message the client sends, in bytes (before compression); a larger one fails the call
    /// with <see cref="StatusCode.ResourceExhausted"/> without sending it. Null means no limit. Default: 4 MiB.
    /// </summary>
    public int? MaxSendMessageSize { get; set; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>
    /// The handler requests go through, instead of the channel's own <see cref="SocketsHttpHandler"/>
    /// (e.g. to trust a test certificate). Ignored when <see cref="HttpClient"/> is set. Default: null.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>
    /// The client requests go through, instead of one the channel creates. It must be able to send HTTP/2
    /// (a <see cref="SocketsHttpHandler"/>) and should have an infinite <see cref="HttpClient.Timeout"/>, because
    /// streaming calls outlive the default 100 seconds. Default: null.
    /// </summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>
    /// Whether disposing the channel disposes <see cref="HttpClient"/> or <see cref="HttpHandler"/> given here.
    /// A client or handler the channel created itself is always disposed with it. Default: false.
    /// </summary>
    public bool DisposeHttpClient { get; set; }

    /// <summary>
    /// Whether request messages are gzip-compressed (sent with <c>grpc-encoding: gzip</c>).
    /// A write with <see cref="WriteFlags.NoCompress"/> is still sent uncompressed. Default: false.
    /// </summary>
    public bool CompressRequests { get; set; }

    /// <summary>
    /// Called before every call with the request metadata, so credentials such as
    /// <c>authorization: Bearer ...</c> can be added. An exception fails the call with
    /// <see cref="StatusCode.Unavailable"/>, or with its status when it is an <see cref="RpcException"/>.
    /// Applied on cleartext channels too. Default: null.
    /// </summary>
    public Func<Metadata, CancellationToken, ValueTask>? CallCredentials { get; set; }

    /// <summary>
    /// How long a connection may be idle before an HTTP/2 PING checks it is still alive; also keeps
    /// idle streaming calls from being dropped by middleboxes. Only applies to the channel's own handler.
    /// Default: 60 seconds.
    /// </summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long to wait for a PING acknowledgement before the connection is closed and its calls fail with
    /// <see cref="StatusCode.Unavailable"/>. Only applies to the channel's own handler. Default: 30 seconds.
    /// </summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The <c>grpc-encoding</c> used when <see cref="CompressRequests"/> is true. Only <c>gzip</c> is supported.
    /// Default: <c>gzip</c>.
    /// </summary>
    public string RequestEncoding { get; set; } = GrpcProtocol.GzipEncoding;
}
