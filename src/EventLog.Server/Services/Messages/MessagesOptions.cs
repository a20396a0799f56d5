namespace EventLog.Server.Services.Messages;

/// <summary>Messages service settings, bound from the <c>Messages</c> configuration section. The TTL and reaping are storage retention settings (<c>Storage:Retention:MessageTtl</c>, <c>ReapInterval</c>, <c>ReapBatchSize</c>).</summary>
public sealed class MessagesOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Messages";

    /// <summary>Idle time after which WatchMessages sends a heartbeat. Default 15 seconds.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Messages read from storage per round of WatchMessages. Default 200.</summary>
    public int WatchBatchSize { get; set; } = 200;

    /// <summary>
    /// Least time between two reads of one WatchMessages call while its project's messages keep coming: a watch
    /// woken sooner waits the rest and sends everything committed meanwhile together. 0 reads at every commit.
    /// At most 1 second. Default 25 milliseconds: a busy watch then reads and flushes at most 40 times a second,
    /// and nobody watching notices 25 ms.
    /// </summary>
    public TimeSpan WatchLinger { get; set; } = TimeSpan.FromMilliseconds(25);
}
