using Microsoft.Extensions.Options;

namespace EventLog.Storage.Internal;

internal sealed class ChangeNotifier(StorageDatabase database, IOptions<StorageOptions> options) : IChangeNotifier
{
    private const string SelectLastSequence = "SELECT last_seq FROM streams WHERE stream_key = @key";

    private readonly TimeSpan _pollInterval = options.Value.ChangePollInterval;

    public async Task<long> GetLastSequenceAsync(string streamKey, CancellationToken cancellationToken = default) =>
        await database.ScalarAsync<long?>(SelectLastSequence, new { key = streamKey }, cancellationToken) ?? 0;

    public async Task<long> WaitForChangeAsync(string streamKey, long afterSequence, CancellationToken cancellationToken = default) =>
        (await WaitCoreAsync(streamKey, afterSequence, Timeout.InfiniteTimeSpan, cancellationToken))!.Value;

    public Task<long?> WaitForChangeAsync(string streamKey, long afterSequence, TimeSpan maxWait, CancellationToken cancellationToken = default) =>
        WaitCoreAsync(streamKey, afterSequence, maxWait, cancellationToken);

    private async Task<long?> WaitCoreAsync(string streamKey, long afterSequence, TimeSpan maxWait, CancellationToken ct)
    {
        var deadline = maxWait == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : DateTime.UtcNow + maxWait;
        while (true)
        {
            // Take the signal before reading the position so a commit in between is not missed.
            var signal = database.Signals.Next(streamKey);
            var last = await GetLastSequenceAsync(streamKey, ct);
            if (last > afterSequence)
            {
                return last;
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
