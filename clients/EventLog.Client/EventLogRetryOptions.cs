namespace EventLog.Client;

/// <summary>
/// How the client retries calls that are safe to retry (reads, and writes the server deduplicates by
/// request id, line number or offset) and how it resumes dropped streams.
/// </summary>
public sealed class EventLogRetryOptions
{
    /// <summary>Attempts of a unary call in all, the first included; 1 disables retries. Default: 4.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The pause before the first retry; later pauses grow by <see cref="BackoffMultiplier"/>. Default: 200 ms.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest pause between two attempts. Default: 5 seconds.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Growth of the pause from one attempt to the next. Default: 2.</summary>
    public double BackoffMultiplier { get; set; } = 2;

    /// <summary>
    /// Consecutive failed reconnects of a watch or tail before it gives up and throws; a received message
    /// resets the count. Null reconnects for as long as the caller keeps enumerating. Default: 30.
    /// </summary>
    public int? MaxStreamReconnectAttempts { get; set; } = 30;

    /// <summary>
    /// A following stream that receives nothing, not even a heartbeat, for this long is considered dead and
    /// reconnected. Null disables the check. Default: 2 minutes.
    /// </summary>
    public TimeSpan? StreamIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    internal EventLogRetryOptions Clone() => (EventLogRetryOptions)MemberwiseClone();

    internal void Validate()
    {
        if (MaxAttempts < 1)
        {
            throw new ArgumentException("EventLog Retry:MaxAttempts must be at least 1.", nameof(MaxAttempts));
        }
        if (InitialBackoff < TimeSpan.Zero || MaxBackoff < InitialBackoff || BackoffMultiplier < 1)
        {
            throw new ArgumentException("EventLog Retry backoff must satisfy 0 <= InitialBackoff <= MaxBackoff and BackoffMultiplier >= 1.", nameof(InitialBackoff));
        }
        if (MaxStreamReconnectAttempts is < 0)
        {
            throw new ArgumentException("EventLog Retry:MaxStreamReconnectAttempts must not be negative.", nameof(MaxStreamReconnectAttempts));
        }
    }

    /// <summary>
    /// The pause before resending after <paramref name="failure"/>: the server's RetryInfo delay of a rate-limited
    /// call (at most <see cref="MaxBackoff"/>), else <see cref="Backoff(int)"/> of retry <paramref name="retry"/>.
    /// </summary>
    internal TimeSpan RetryPause(EventLogException failure, int retry) =>
        failure.StatusCode == Grpc.Core.StatusCode.ResourceExhausted && failure.RetryDelay is { } delay
            ? (delay > MaxBackoff ? MaxBackoff : delay)
            : Backoff(retry);

    /// <summary>The pause before retry number <paramref name="retry"/> (1-based), with ±20% jitter.</summary>
    internal TimeSpan Backoff(int retry)
    {
        var ms = InitialBackoff.TotalMilliseconds * Math.Pow(BackoffMultiplier, Math.Max(0, retry - 1));
        ms = Math.Min(ms, MaxBackoff.TotalMilliseconds);
        // Jitter keeps many agents that lost the same server from reconnecting in lockstep.
        ms *= 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(ms);
    }
}
