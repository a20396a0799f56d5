using System.Diagnostics;

namespace EventLog.Storage.Core;

/// <summary>
/// The storage spans (activity source <c>EventLog.Storage</c>): one per write, a child of the caller's span, from
/// the moment the write is queued until its transaction committed. It names the statements the write ran by kind and
/// table (<c>INSERT messages</c>), never their parameters; on SQLite also how many writes shared the transaction.
/// </summary>
internal static class StorageActivities
{
    /// <summary>The activity source's name.</summary>
    public const string SourceName = StorageTelemetry.ActivitySourceName;

    /// <summary>The statements of the write, in the order they ran (a string array).</summary>
    public const string StatementsTag = "eventlog.storage.statements";

    /// <summary>How many writes the SQLite writer committed in the same transaction.</summary>
    public const string GroupSizeTag = "eventlog.storage.group_size";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>The span of one write, or <see cref="WriteSpan.None"/> when no listener records it (then nothing else is spent on it).</summary>
    public static WriteSpan StartWrite(string systemName)
    {
        var activity = Source.StartActivity("transaction", ActivityKind.Client);
        if (activity is null)
        {
            return WriteSpan.None;
        }
        if (!activity.IsAllDataRequested)
        {
            activity.Dispose();
            return WriteSpan.None;
        }
        activity.SetTag("db.system.name", systemName);
        return new WriteSpan(activity);
    }
}
