
namespace EventLog.Server.Limits;

/// <summary>
/// Charges every message after the first of a client-streaming write to the principal's budget, waiting
/// for a token when it is spent: HTTP/2 flow control then slows the sender down.
/// </summary>
internal sealed class PacedStreamReader<T>(IAsyncStreamReader<T> inner, WriteRateLimiter writes, string principal, CancellationToken callCancelled) : IAsyncStreamReader<T>
{
    private bool _first = true;

    public T Current => inner.Current;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        if (!await inner.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        if (_first)
        {
            // The call itself already paid for the first message.
            _first = false;
            return true;
        }
        while (!writes.TryAcquire(principal, out var retryAfter))
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, callCancelled);
            await Task.Delay(retryAfter, linked.Token).ConfigureAwait(false);
        }
        return true;
    }
}
