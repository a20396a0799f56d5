using EventLog.Storage.Provisioning;

namespace EventLog.Server.Services.Provisioning;

/// <summary>
/// The shared view of one cluster's progress stream for every watch of it in this process: one task waits for
/// commits and one read serves all watches asking for the same position, so a thousand watchers cost one
/// query per change instead of a thousand. Obtained from <see cref="ProgressFeeds"/>.
/// </summary>
public sealed partial class ProgressFeed
{
    private const int CachedReads = 16;

    private readonly IProvisioningRepository _repository;
    private readonly IChangeNotifier _notifier;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<(long After, int Limit), Task<StreamBatch<ProvisioningEvent>>> _reads = [];
    private readonly Queue<(long After, int Limit)> _readOrder = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _knownLast = -1;

    internal ProgressFeed(string clusterId, IProvisioningRepository repository, IChangeNotifier notifier, ILogger logger)
    {
        ClusterId = clusterId;
        _repository = repository;
        _notifier = notifier;
        _logger = logger;
        _ = Task.Run(RunAsync);
    }

    /// <summary>The cluster whose stream this is.</summary>
    public string ClusterId { get; }

    internal int Subscribers { get; set; }

    /// <summary>
    /// Stream rows after <paramref name="afterSequence"/>, shared with concurrent readers of the same position.
    /// A shared result is dropped as soon as a newer commit is seen, so it never hides rows.
    /// </summary>
    public Task<StreamBatch<ProvisioningEvent>> ReadAsync(long afterSequence, int limit, CancellationToken cancellationToken)
    {
        Task<StreamBatch<ProvisioningEvent>> read;
        lock (_lock)
        {
            var key = (afterSequence, limit);
            if (!_reads.TryGetValue(key, out read!) || read.IsFaulted || read.IsCanceled)
            {
                read = _repository.ReadClusterStreamAsync(ClusterId, afterSequence, limit, _stop.Token);
                _reads[key] = read;
                _readOrder.Enqueue(key);
                while (_readOrder.Count > CachedReads)
                {
                    _reads.Remove(_readOrder.Dequeue());
                }
            }
        }

        return read.WaitAsync(cancellationToken);
    }

    /// <summary>Waits until a commit after <paramref name="afterSequence"/> may exist; false after <paramref name="maxWait"/>.</summary>
    public async Task<bool> WaitForChangeAsync(long afterSequence, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_lock)
        {
            if (_knownLast > afterSequence)
            {
                return true;
            }

            changed = _changed.Task;
        }

        try
        {
            await changed.WaitAsync(maxWait, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    internal void Stop() => _stop.Cancel();

    private async Task RunAsync()
    {
        var key = StreamKeys.Cluster(ClusterId);
        var last = -1L;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var next = last < 0
                    ? await _notifier.GetLastSequenceAsync(key, _stop.Token)
                    : await _notifier.WaitForChangeAsync(key, last, TimeSpan.FromSeconds(30), _stop.Token);
                if (next is { } seen && seen != last)
                {
                    last = seen;
                    Advance(seen);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Watches still poll on their heartbeat timer; retry shortly.
                LogFeedFailed(_logger, ex, ClusterId);
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }
    }

    private void Advance(long last)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _knownLast = last;
            _reads.Clear();
            _readOrder.Clear();
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Progress feed of cluster {ClusterId} failed to read its stream position; retrying")]
    private static partial void LogFeedFailed(ILogger logger, Exception exception, string clusterId);
}
