namespace EventLog.Server.Infrastructure;

/// <summary>
/// Health checks and server reflection: open without a token, and called often by load balancers and tools,
/// so they are kept out of per-call logging, metrics and limits.
/// </summary>
public static class ProbeMethods
{
    /// <summary>True for <c>grpc.health.v1</c> and <c>grpc.reflection</c> methods (<c>/package.Service/Method</c>).</summary>
    public static bool Is(string method) =>
        method.StartsWith("/grpc.health.v1.", StringComparison.Ordinal) || method.StartsWith("/grpc.reflection.", StringComparison.Ordinal);
}
