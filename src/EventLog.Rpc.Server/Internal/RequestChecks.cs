using EventLog.Rpc.Internal;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace EventLog.Rpc.Server.Internal;

/// <summary>Reads and checks the protocol headers of an incoming call.</summary>
internal static class RequestChecks
{
    public static bool TryGetDeadline(HttpContext httpContext, out DateTime deadline, out Status error)
    {
        deadline = DateTime.MaxValue;
        error = default;
        // The gRPC headers are known headers to Kestrel: the typed properties read a field where a lookup by name
        // compares the name with every known header of its length first.
        var header = httpContext.Request.Headers.GrpcTimeout;
        if (header.Count == 0)
        {
            return true;
        }
        if (header.Count > 1 || !GrpcTimeout.TryParse(header[0], out var timeout))
        {
            error = new Status(StatusCode.Internal, $"Invalid grpc-timeout header value '{header}'.");
            return false;
        }
        var now = DateTime.UtcNow;
        deadline = timeout >= DateTime.MaxValue - now ? DateTime.MaxValue : now + timeout;
        return true;
    }

    public static bool TryGetEncoding(HttpContext httpContext, out string? encoding, out Status error)
    {
        error = default;
        // Indexed, not FirstOrDefault(): LINQ over StringValues boxes it on every call.
        var values = httpContext.Request.Headers.GrpcEncoding;
        encoding = values.Count == 0 ? null : values[0];
        if (encoding is null or GrpcProtocol.IdentityEncoding or GrpcProtocol.GzipEncoding)
        {
            return true;
        }
        error = new Status(StatusCode.Unimplemented, $"Unsupported grpc-encoding value '{encoding}'. Supported encodings: {GrpcProtocol.SupportedEncodings}");
        return false;
    }

    public static Metadata ReadMetadata(HttpContext httpContext)
    {
        var metadata = new Metadata();
        var headers = httpContext.Request.Headers;
        if (headers.Count == CountProtocolHeaders(headers))
        {
            // Only protocol headers, as on most calls: nothing to expose, and the enumeration (a boxed enumerator
            // and a name check per header) is spared.
            return metadata;
        }
        foreach (var header in headers)
        {
            if (GrpcProtocol.IsReservedHeader(header.Key))
            {
                continue;
            }
            foreach (var value in header.Value)
            {
                // A header that is not valid metadata is dropped rather than failing the call.
                MetadataCodec.TryAdd(metadata, header.Key, value ?? "");
            }
        }
        return metadata;
    }

    // Reserved headers a request usually carries, counted through Kestrel's typed properties (a field read each).
    // When they account for every header, no header is metadata.
    private static int CountProtocolHeaders(IHeaderDictionary headers) =>
        Present(headers.Host) + Present(headers.ContentType) + Present(headers.TE) + Present(headers.UserAgent)
        + (headers.ContentLength is null ? 0 : 1) + Present(headers.GrpcTimeout) + Present(headers.GrpcEncoding)
        + Present(headers.GrpcAcceptEncoding);

    private static int Present(Microsoft.Extensions.Primitives.StringValues values) => values.Count > 0 ? 1 : 0;
}
