using EventLog.Storage;

namespace EventLog.Server.Services.TaskLog;

/// <summary>Waits on several streams at once (a followed tail wakes on new lines and on its task ending).</summary>
public static class StreamWait
{
    /// <summary>
    /// For each stream, whether it moved past its position within <paramref name="maxWait"/>; all false when the
    /// time passed with no change (time for a heartbeat). Throws <see cref="OperationCanceledException"/> on cancellation.
    /// </summary>
    public static async Task<bool[]> AnyAsync(IChangeNotifier notifier, TimeSpan maxWait, CancellationToken cancellationToken, params (string Key, long After)[] streams)
    {
        var moved = await notifier.WaitForAnyChangeAsync(streams, maxWait, cancellationToken);
        return Array.ConvertAll(moved, sequence => sequence is not null);
    }
}
