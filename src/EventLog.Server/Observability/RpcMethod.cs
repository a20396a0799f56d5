using System.Collections.Concurrent;

namespace EventLog.Server.Observability;

/// <summary>
/// A gRPC method as OpenTelemetry's RPC conventions name it: <c>rpc.service</c> <c>eventlog.v1.MessagesService</c>,
/// <c>rpc.method</c> <c>CreateMessage</c> (no leading slash), span name <c>eventlog.v1.MessagesService/CreateMessage</c>.
/// Made once per method and reused by every call, so a call's tags cost no allocation.
/// </summary>
public sealed class RpcMethod
{
    /// <summary>The key of the <see cref="RpcMethod"/> on a call's server span, for the span's final name.</summary>
    public const string ActivityProperty = "eventlog.rpc.method";

    // Only mapped methods reach the interceptors, so the set is small; the bound keeps a flood of odd paths from growing it.
    private const int MaxKnown = 1024;
    private static readonly ConcurrentDictionary<string, RpcMethod> Known = new(StringComparer.Ordinal);

    private RpcMethod(string fullName)
    {
        var path = fullName.TrimStart('/');
        var slash = path.LastIndexOf('/');
        Service = slash > 0 ? path[..slash] : "";
        Method = slash >= 0 ? path[(slash + 1)..] : path;
        SpanName = path;
        ServiceTag = new("rpc.service", Service);
        MethodTag = new("rpc.method", Method);
    }

    /// <summary>The <c>rpc.system</c> tag of every call.</summary>
    public static KeyValuePair<string, object?> SystemTag { get; } = new("rpc.system", "grpc");

    /// <summary>The full name of the service, package included.</summary>
    public string Service { get; }

    /// <summary>The method's name.</summary>
    public string Method { get; }

    /// <summary><c>service/method</c>, the span name the conventions give.</summary>
    public string SpanName { get; }

    /// <summary>The <c>rpc.service</c> tag.</summary>
    public KeyValuePair<string, object?> ServiceTag { get; }

    /// <summary>The <c>rpc.method</c> tag.</summary>
    public KeyValuePair<string, object?> MethodTag { get; }

    /// <summary>The names of <paramref name="fullName"/> (<c>/package.Service/Method</c>, as <c>ServerCallContext.Method</c> gives it).</summary>
    public static RpcMethod Of(string fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        if (Known.TryGetValue(fullName, out var known))
        {
            return known;
        }
        var method = new RpcMethod(fullName);
        return Known.Count < MaxKnown ? Known.GetOrAdd(fullName, method) : method;
    }
}
