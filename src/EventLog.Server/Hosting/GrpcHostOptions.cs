namespace EventLog.Server.Hosting;

/// <summary>gRPC settings of the host (configuration section <c>Grpc</c>).</summary>
public sealed class GrpcHostOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Grpc";

    /// <summary>Largest request message accepted, in bytes; larger ones fail with RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest response message sent, in bytes; larger ones fail with RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxSendMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Encoding of responses when the client accepts it: <c>gzip</c>, or empty for none. Default: none.</summary>
    public string? ResponseCompression { get; set; }

    /// <summary>
    /// How long one response write of a stream may wait for the client to read (HTTP/2 flow control) before
    /// the call is cut off: the stream is reset with ENHANCE_YOUR_CALM, which clients report as
    /// RESOURCE_EXHAUSTED, and what it held is released. Bounds the memory and the handler that a client
    /// that stops reading can hold. Empty disables the bound. Default 30 seconds.
    /// </summary>
    public TimeSpan? StreamWriteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether exception messages of unexpected handler failures are sent to clients. Default false.</summary>
    public bool EnableDetailedErrors { get; set; }
}
