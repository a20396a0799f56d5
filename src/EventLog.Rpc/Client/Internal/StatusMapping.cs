using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using EventLog.Rpc.Internal;
using Grpc.Core;

namespace EventLog.Rpc.Client.Internal;

/// <summary>Turns HTTP responses, trailers and local exceptions into gRPC statuses and metadata.</summary>
internal static class StatusMapping
{
    /// <summary>The gRPC spec's mapping for responses without grpc-status (http-grpc-status-mapping.md).</summary>
    public static Status FromHttpStatus(HttpStatusCode httpStatus)
    {
        var code = httpStatus switch
        {
            HttpStatusCode.BadRequest => StatusCode.Internal,
            HttpStatusCode.Unauthorized => StatusCode.Unauthenticated,
            HttpStatusCode.Forbidden => StatusCode.PermissionDenied,
            HttpStatusCode.NotFound => StatusCode.Unimplemented,
            HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => StatusCode.Unavailable,
            _ => StatusCode.Unknown,
        };
        return new Status(code, $"Bad gRPC response. HTTP status code: {(int)httpStatus}");
    }

    /// <summary>A local failure as a status: transport errors are UNAVAILABLE, stream resets follow the HTTP/2 error code.</summary>
    public static Status FromException(Exception exception)
    {
        switch (exception)
        {
            case RpcException rpc:
                return rpc.Status;
            case OperationCanceledException:
                // Our own cancellations set the status before this point; this is the HTTP stack giving up.
                return new Status(StatusCode.Cancelled, "The HTTP request was canceled.", exception);
        }
        if (FindInner<HttpProtocolException>(exception) is { } protocol)
        {
            // PROTOCOL-HTTP2.md: RST_STREAM error codes map to these statuses.
            var code = protocol.ErrorCode switch
            {
                0x7 => StatusCode.Unavailable, // REFUSED_STREAM: the server did not start processing it
                0x8 => StatusCode.Cancelled, // CANCEL
                0xb => StatusCode.ResourceExhausted, // ENHANCE_YOUR_CALM
                0xc => StatusCode.PermissionDenied, // INADEQUATE_SECURITY
                _ => StatusCode.Internal,
            };
            return new Status(code, $"HTTP/2 error {protocol.ErrorCode}: {protocol.Message}", exception);
        }
        return exception switch
        {
            HttpRequestException => new Status(StatusCode.Unavailable, "Error starting gRPC call. " + Describe(exception), exception),
            IOException => new Status(StatusCode.Unavailable, "Error reading the gRPC response. " + Describe(exception), exception),
            ObjectDisposedException => new Status(StatusCode.Unavailable, "The channel was disposed.", exception),
            _ => new Status(StatusCode.Internal, "Error in gRPC call. " + Describe(exception), exception),
        };
    }

    public static bool HasStatus(HttpHeaders headers) => headers.NonValidated.Contains(GrpcProtocol.StatusTrailer);

    /// <summary>The status in grpc-status / grpc-message; UNKNOWN when grpc-status is missing or malformed.</summary>
    public static Status ReadStatus(HttpHeaders headers)
    {
        var value = GetSingle(headers, GrpcProtocol.StatusTrailer);
        if (value is null)
        {
            return new Status(StatusCode.Unknown, "No grpc-status found on response.");
        }
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return new Status(StatusCode.Unknown, $"Unexpected grpc-status value: {value}");
        }
        var message = GetSingle(headers, GrpcProtocol.MessageTrailer);
        var detail = message is null ? "" : PercentEncoding.Decode(message);
        // Codes this client does not know are UNKNOWN, as in the other gRPC implementations.
        return code is >= 0 and <= (int)StatusCode.Unauthenticated
            ? new Status((StatusCode)code, detail)
            : new Status(StatusCode.Unknown, detail);
    }

    /// <summary>Response headers or trailers as metadata, without the protocol's own headers; -bin values decoded.</summary>
    public static Metadata ToMetadata(HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in headers.NonValidated)
        {
            if (GrpcProtocol.IsReservedHeader(name))
            {
                continue;
            }
            foreach (var value in values)
            {
                // A header that is not valid metadata (e.g. non-ASCII text) is dropped rather than failing the call.
                MetadataCodec.TryAdd(metadata, name, value);
            }
        }
        return metadata;
    }

    public static string? GetSingle(HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) && values.Count > 0 ? values.ToString() : null;

    public static string? GetContentType(HttpResponseMessage response) =>
        response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values) ? values.ToString() : null;

    private static T? FindInner<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }
        return null;
    }

    private static string Describe(Exception exception) =>
        exception.InnerException is { } inner
            ? $"{exception.GetType().Name}: {exception.Message} ({inner.GetType().Name}: {inner.Message})"
            : $"{exception.GetType().Name}: {exception.Message}";
}
