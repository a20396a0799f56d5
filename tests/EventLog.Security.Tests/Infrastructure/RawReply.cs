namespace EventLog.Security.Tests.Infrastructure;

/// <summary>What came back for a raw request: the HTTP status, the grpc-status (headers or trailers) if any, and the body size.</summary>
public sealed record RawReply(int HttpStatus, int? GrpcStatus, string? GrpcMessage, long BodyBytes, string? Failure)
{
    /// <summary>Whether the reply carries a valid gRPC status code (0-16).</summary>
    public bool HasGrpcStatus => GrpcStatus is >= 0 and <= 16;
}
