using System.Diagnostics;

namespace EventLog.Storage.Core;

/// <summary>The span of one write while it runs (see <see cref="StorageActivities"/>); <see cref="None"/> records nothing.</summary>
internal sealed class WriteSpan(Activity? activity)
{
    /// <summary>A write nobody traces.</summary>
    public static readonly WriteSpan None = new(null);

    private List<string>? _statements;

    /// <summary>
    /// Starts an attempt of the write and returns the list its statements go to (null when nothing records): the
    /// statements of an earlier attempt, rolled back and retried, are not the write's.
    /// </summary>
    public List<string>? BeginAttempt() => activity is null ? null : _statements = [];

    /// <summary>How many writes the transaction that committed this one held.</summary>
    public void SetGroupSize(int writes) => activity?.SetTag(StorageActivities.GroupSizeTag, writes);

    /// <summary>Ends the span with the statements of the last attempt, failed when <paramref name="exception"/> is set.</summary>
    public void End(Exception? exception)
    {
        if (activity is null)
        {
            return;
        }
        if (_statements is { Count: > 0 })
        {
            activity.SetTag(StorageActivities.StatementsTag, _statements.ToArray());
        }
        if (exception is not null)
        {
            activity.SetTag("error.type", exception.GetType().Name);
            // Not the message: a provider's may quote the values of the row it refused.
            activity.SetStatus(ActivityStatusCode.Error);
        }
        activity.Dispose();
    }
}
