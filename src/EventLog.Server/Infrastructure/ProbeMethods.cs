namespace EventLog.Server.Infrastructure;

/// <summary>
/// Health checks and server reflection: open without a token, and called often by load balancers and tools,
/// so they are kept out of per-call logging, metrics, traces and limits.
/// </summary>
public static class ProbeMethods
{
    /// <summary>The HTTP liveness probe: 200 while the process answers at all.</summary>
    public const string LivenessPath = "/healthz";

    /// <summary>The HTTP readiness probe: 200 while the store answers a read, 503 while it does not.</summary>
    public const string ReadinessPath = "/readyz";

    /// <summary>True for <c>grpc.health.v1</c> and <c>grpc.reflection</c> methods (<c>/package.Service/Method</c>).</summary>
    public static bool Is(string method) =>
        method.StartsWith("/grpc.health.v1.", StringComparison.Ordinal) || method.StartsWith("/grpc.reflection.", StringComparison.Ordinal);

    /// <summary>True for a request path of a gRPC probe method or of the HTTP probes.</summary>
    public static bool IsProbePath(string path) => Is(path) || path is LivenessPath or ReadinessPath;
}
