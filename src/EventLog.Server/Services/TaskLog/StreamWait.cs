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
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waits = streams.Select(s => notifier.WaitForChangeAsync(s.Key, s.After, maxWait, stop.Token)).ToArray();
        await Task.WhenAny(waits);
        await stop.CancelAsync();
        var changed = new bool[waits.Length];
        for (var i = 0; i < waits.Length; i++)
        {
            try
            {
                changed[i] = await waits[i] is not null;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The other waits were stopped because one finished.
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return changed;
    }
}
