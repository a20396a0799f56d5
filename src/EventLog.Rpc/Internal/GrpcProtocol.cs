namespace EventLog.Rpc.Internal;

/// <summary>Header names and values of the gRPC over HTTP/2 protocol.</summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string StatusTrailer = "grpc-status";
    public const string MessageTrailer = "grpc-message";
    public const string StatusDetailsTrailer = "grpc-status-details-bin";
    public const string IdentityEncoding = "identity";
    public const string GzipEncoding = "gzip";
    public const string SupportedEncodings = "identity,gzip";
    public const int HeaderSize = 5;
    public const int DefaultMaxMessageSize = 4 * 1024 * 1024;

    /// <summary>Whether a content-type names gRPC (application/grpc, optionally +proto or ;params).</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (contentType.Length == ContentType.Length)
        {
            return true;
        }
        var next = contentType[ContentType.Length];
        return next is '+' or ';';
    }

    /// <summary>Headers that belong to the protocol and are not exposed as call metadata.</summary>
    // By length first: this runs for every header of every call, and most headers are not reserved.
    public static bool IsReservedHeader(string name) => name.Length > 0 && (name[0] == ':' || name.Length switch
    {
        2 => name.Equals("te", StringComparison.OrdinalIgnoreCase),
        4 => name.Equals("host", StringComparison.OrdinalIgnoreCase),
        10 => name.Equals("user-agent", StringComparison.OrdinalIgnoreCase),
        11 => name.Equals(StatusTrailer, StringComparison.OrdinalIgnoreCase),
        12 => name.Equals("content-type", StringComparison.OrdinalIgnoreCase)
            || name.Equals(TimeoutHeader, StringComparison.OrdinalIgnoreCase)
            || name.Equals(MessageTrailer, StringComparison.OrdinalIgnoreCase),
        13 => name.Equals(EncodingHeader, StringComparison.OrdinalIgnoreCase),
        14 => name.Equals("content-length", StringComparison.OrdinalIgnoreCase),
        20 => name.Equals(AcceptEncodingHeader, StringComparison.OrdinalIgnoreCase),
        _ => false,
    });
}
