namespace EventLog.Server.Limits;

/// <summary>
/// Which RPCs count as writes for the rate limit. Reads are recognised by their verb, so a new RPC
/// is limited unless it is plainly a read.
/// </summary>
public static class WriteMethods
{
    private static readonly string[] ReadVerbs = ["Get", "List", "Watch", "Tail", "Wait", "Save", "Export"];

    /// <summary>Whether a full method name (<c>/eventlog.v1.MessagesService/CreateMessage</c>) is an EventLog write.</summary>
    public static bool IsWrite(string fullMethod)
    {
        ArgumentNullException.ThrowIfNull(fullMethod);
        if (!fullMethod.StartsWith("/eventlog.", StringComparison.Ordinal))
        {
            return false;
        }
        var name = fullMethod.AsSpan(fullMethod.LastIndexOf('/') + 1);
        foreach (var verb in ReadVerbs)
        {
            if (name.StartsWith(verb, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }
}
