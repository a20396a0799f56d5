namespace EventLog.Server.Hosting;

/// <summary>Tells gRPC calls from the other requests a listener serves (HTTP/JSON, the viewer, probes, metrics).</summary>
public static class GrpcRequests
{
    /// <summary>True for a request whose content type is <c>application/grpc</c> or one of its <c>+proto</c>-style variants.</summary>
    public static bool Is(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
}
