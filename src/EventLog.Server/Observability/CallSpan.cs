using System.Diagnostics;

namespace EventLog.Server.Observability;

/// <summary>
/// What a call's server span says: <c>rpc.system</c>, <c>rpc.service</c>, <c>rpc.method</c>, <c>rpc.grpc.status_code</c>
/// (OpenTelemetry's RPC conventions), <c>eventlog.request_id</c> (the call's request id, as in its log line and its
/// <c>x-request-id</c> trailer), and for an authenticated call <c>enduser.id</c> (the token's configured name, never
/// the token) and <c>eventlog.project</c> (the token's project).
/// </summary>
internal static class CallSpan
{
    public const string RequestIdTag = "eventlog.request_id";
    public const string ProjectTag = "eventlog.project";
    public const string PrincipalTag = "enduser.id";

    public static void Complete(Activity span, RpcMethod method, StatusCode code, CallScope scope)
    {
        span.SetTag(RpcMethod.SystemTag.Key, RpcMethod.SystemTag.Value);
        span.SetTag(method.ServiceTag.Key, method.ServiceTag.Value);
        span.SetTag(method.MethodTag.Key, method.MethodTag.Value);
        span.SetTag("rpc.grpc.status_code", (int)code);
        span.SetTag(RequestIdTag, scope.RequestId);
        if (scope.Caller is { } caller)
        {
            span.SetTag(PrincipalTag, caller.Name);
            span.SetTag(ProjectTag, caller.Project);
        }
        if (IsServerError(code))
        {
            span.SetStatus(ActivityStatusCode.Error, StatusCodeNames.Get(code));
        }
    }

    /// <summary>The codes the conventions count as a server span's error; the others are the caller's business.</summary>
    private static bool IsServerError(StatusCode code) => code is StatusCode.Unknown or StatusCode.DeadlineExceeded or StatusCode.Unimplemented
        or StatusCode.Internal or StatusCode.Unavailable or StatusCode.DataLoss;

    /// <summary>Names the span <c>service/method</c>; ASP.NET Core's instrumentation calls this last, after naming it by HTTP route.</summary>
    public static void Rename(Activity span)
    {
        if (span.GetCustomProperty(RpcMethod.ActivityProperty) is RpcMethod method)
        {
            span.DisplayName = method.SpanName;
        }
    }
}
