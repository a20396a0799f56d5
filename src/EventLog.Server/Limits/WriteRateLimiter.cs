using System.Collections.Concurrent;

namespace EventLog.Server.Limits;

/// <summary>One token bucket per principal. Principals are configured tokens, so the map stays small.</summary>
public sealed class WriteRateLimiter
{
    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly double _rate;
    private readonly int _burst;

    /// <summary>Creates the limiter from <see cref="LimitsOptions"/>.</summary>
    public WriteRateLimiter(IOptions<LimitsOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clock = clock;
        _rate = options.Value.WritesPerSecondPerPrincipal;
        _burst = options.Value.WriteBurstPerPrincipal;
    }

    /// <summary>Whether writes are limited at all.</summary>
    public bool Enabled => _rate > 0;

    /// <summary>Takes one write from the principal's budget; false (with the wait until the next one) when it is spent.</summary>
    public bool TryAcquire(string principal, out TimeSpan retryAfter)
    {
        if (!Enabled)
        {
            retryAfter = TimeSpan.Zero;
            return true;
        }
        var now = _clock.GetTimestamp();
        var bucket = _buckets.GetOrAdd(principal, static (_, state) => new TokenBucket(state.Rate, state.Burst, state.Now), (Rate: _rate, Burst: (double)_burst, Now: now));
        return bucket.TryTake(now, _clock.TimestampFrequency, out retryAfter);
    }
}
