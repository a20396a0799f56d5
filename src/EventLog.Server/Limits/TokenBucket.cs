namespace EventLog.Server.Limits;

/// <summary>A token bucket: <c>capacity</c> tokens, refilled continuously at <c>ratePerSecond</c>.</summary>
internal sealed class TokenBucket(double ratePerSecond, double capacity, long startTimestamp)
{
    private readonly Lock _lock = new();
    private readonly double _capacity = capacity;
    private double _tokens = capacity;
    private long _lastTimestamp = startTimestamp;

    /// <summary>Takes one token; when none is left, says how long until one is.</summary>
    public bool TryTake(long nowTimestamp, long timestampFrequency, out TimeSpan retryAfter)
    {
        lock (_lock)
        {
            if (nowTimestamp > _lastTimestamp)
            {
                var elapsedSeconds = (double)(nowTimestamp - _lastTimestamp) / timestampFrequency;
                _tokens = Math.Min(_capacity, _tokens + (elapsedSeconds * ratePerSecond));
                _lastTimestamp = nowTimestamp;
            }
            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }
            retryAfter = TimeSpan.FromSeconds((1 - _tokens) / ratePerSecond);
            return false;
        }
    }
}
