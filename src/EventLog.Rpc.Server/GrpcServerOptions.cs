using Grpc.Core.Interceptors;

namespace EventLog.Rpc.Server;

/// <summary>Options of the gRPC server (configuration section <c>Grpc</c>).</summary>
public sealed class GrpcServerOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Grpc";

    /// <summary>Largest request message accepted, in bytes; larger ones fail with RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest response message sent, in bytes; larger ones fail with RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxSendMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Encoding used for responses when the client accepts it: <c>gzip</c> or null (default: none).</summary>
    public string? ResponseCompression { get; set; }

    /// <summary>
    /// How long one response write may wait for the client to read (HTTP/2 flow control) before the
    /// call is cut off: the stream is reset with ENHANCE_YOUR_CALM, which clients report as
    /// RESOURCE_EXHAUSTED, and the buffered response is released. Bounds the memory and the handler
    /// a client that stops reading a stream can hold. Null disables the bound. Default 30 seconds.
    /// </summary>
    public TimeSpan? StreamWriteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether exception messages of unexpected handler failures are sent to clients. Default false.</summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>Interceptor types, outermost first; created once from the service provider.</summary>
    public IList<Type> Interceptors { get; } = new List<Type>();

    /// <summary>Adds an interceptor type.</summary>
    public void AddInterceptor<TInterceptor>()
        where TInterceptor : Interceptor => Interceptors.Add(typeof(TInterceptor));
}
