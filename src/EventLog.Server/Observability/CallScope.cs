using System.Collections;

namespace EventLog.Server.Observability;

/// <summary>
/// The logging scope of a call, so every log line written while it runs (services, storage) carries the
/// request id, method and principal. The principal is read live: authentication runs inside the scope.
/// </summary>
internal sealed class CallScope(string requestId, string method, ServerCallContext context) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public string RequestId => requestId;

    /// <summary>The authenticated caller; null before authentication or when it failed.</summary>
    public EventLogPrincipal? Caller =>
        context.UserState.TryGetValue(CallContextAuthExtensions.PrincipalKey, out var value) ? value as EventLogPrincipal : null;

    public string Principal => Caller?.Name ?? "-";

    public int Count => 3;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("RequestId", requestId),
        1 => new("GrpcMethod", method),
        2 => new("Principal", Principal),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"RequestId:{requestId} GrpcMethod:{method} Principal:{Principal}";
}
