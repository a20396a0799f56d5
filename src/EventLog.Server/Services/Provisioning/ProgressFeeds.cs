using EventLog.Storage.Provisioning;

namespace EventLog.Server.Services.Provisioning;

/// <summary>The <see cref="ProgressFeed"/>s of the clusters being watched, shared by their watches and dropped with the last one.</summary>
public sealed class ProgressFeeds(IProvisioningRepository repository, IChangeNotifier notifier, ILogger<ProgressFeed> logger)
{
    private readonly Dictionary<string, ProgressFeed> _feeds = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The feed of a cluster; call <see cref="Release"/> when the watch ends.</summary>
    public ProgressFeed Subscribe(string clusterId)
    {
        lock (_lock)
        {
            if (!_feeds.TryGetValue(clusterId, out var feed))
            {
                _feeds[clusterId] = feed = new ProgressFeed(clusterId, repository, notifier, logger);
            }

            feed.Subscribers++;
            return feed;
        }
    }

    /// <summary>Ends one watch's use of a feed; the last one stops it.</summary>
    public void Release(ProgressFeed feed)
    {
        lock (_lock)
        {
            if (--feed.Subscribers == 0 && _feeds.Remove(feed.ClusterId))
            {
                feed.Stop();
            }
        }
    }
}
