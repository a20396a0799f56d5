namespace EventLog.Client.Internal;

/// <summary>Idempotency keys: one per logical write, reused by each of its retries.</summary>
internal static class RequestIds
{
    public static string New() => "req-" + Guid.NewGuid().ToString("N");

    public static string OrNew(string? requestId) => string.IsNullOrEmpty(requestId) ? New() : requestId;
}
