using Microsoft.Extensions.Options;

namespace EventLog.Storage.Internal;

internal sealed class ChangeNotifier(StorageDatabase database, IOptions<StorageOptions> options) : IChangeNotifier
{
    private const string SelectLastSequence = "SELECT last_seq FROM streams WHERE stream_key = @key";

    private const string SelectPosition = "SELECT last_seq, touches FROM streams WHERE stream_key = @key";

    private readonly TimeSpan _pollInterval = options.Value.ChangePollInterval;

    public async Task<long> GetLastSequenceAsync(string streamKey, CancellationToken cancellationToken = default) =>
        await database.ScalarAsync<long?>(SelectLastSequence, new { key = streamKey }, cancellationToken) ?? 0;

    public async Task<StreamPosition> GetPositionAsync(string streamKey, CancellationToken cancellationToken = default)
    {
        var (lastSequence, touches) = await database.QuerySingleOrDefaultAsync<(long, long)>(SelectPosition, new { key = streamKey }, cancellationToken);
        return new StreamPosition(lastSequence, touches);
    }

    public async Task<long> WaitForChangeAsync(string streamKey, long afterSequence, CancellationToken cancellationToken = default) =>
        (await WaitForChangeAsync(streamKey, afterSequence, Timeout.InfiniteTimeSpan, cancellationToken))!.Value;

    public async Task<long?> WaitForChangeAsync(string streamKey, long afterSequence, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        // The caller knows no touch count, so the first read is the baseline: touches after it wake the wait.
        long? baseline = null;
        var position = await WaitCoreAsync(streamKey, p =>
        {
            baseline ??= p.Touches;
            return p.LastSequence > afterSequence || p.Touches > baseline;
        }, maxWait, cancellationToken);
        return position?.LastSequence;
    }

    public Task<StreamPosition?> WaitForChangeAsync(string streamKey, StreamPosition after, TimeSpan maxWait, CancellationToken cancellationToken = default) =>
        WaitCoreAsync(streamKey, p => p.LastSequence > after.LastSequence || p.Touches > after.Touches, maxWait, cancellationToken);

    private async Task<StreamPosition?> WaitCoreAsync(string streamKey, Func<StreamPosition, bool> moved, TimeSpan maxWait, CancellationToken ct)
    {
        var deadline = maxWait == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : DateTime.UtcNow + maxWait;
        while (true)
        {
            // Take the signal before reading the position so a commit in between is not missed.
            var signal = database.Signals.Next(streamKey);
            var position = await GetPositionAsync(streamKey, ct);
            if (moved(position))
            {
                return position;
            }

            var remaining = deadline == DateTime.MaxValue ? _pollInterval : deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                return null;
            }

            var delay = remaining < _pollInterval ? remaining : _pollInterval;
            await Task.WhenAny(signal, Task.Delay(delay, ct));
            ct.ThrowIfCancellationRequested();
        }
    }
}
