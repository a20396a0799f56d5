using Grpc.Core;

namespace EventLog.Rpc.Client.Internal;

internal sealed partial class GrpcCall<TRequest, TResponse>
{
    /// <summary>Cancels the call if it is still running (resetting its HTTP/2 stream) and frees the response.</summary>
    public void Dispose()
    {
        if (!Finish(DisposedStatus, Metadata.Empty))
        {
            DisposeResponse();
        }
    }

    /// <summary>Ends the call with a local status (cancellation, deadline, local error). No-op once finished.</summary>
    public void Cancel(Status status) => Finish(status, Metadata.Empty);

    public void CancelByCaller() => Cancel(CancelledByClient);

    private void OnDeadlineTimer()
    {
        var remaining = _deadline - DateTime.UtcNow;
        if (remaining > TimeSpan.Zero)
        {
            // Timers may fire a little early, and very long deadlines are waited for in steps.
            try
            {
                _deadlineTimer?.Change(Due(remaining), Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
            }
            return;
        }
        Cancel(DeadlineExceeded);
    }

    /// <summary>
    /// The status for a local failure. Past the deadline it is DEADLINE_EXCEEDED, whatever the HTTP stack
    /// reported: a server that gave up at the deadline resets the stream, and that can surface here before
    /// the deadline timer has fired.
    /// </summary>
    internal Status StatusFromException(Exception exception) =>
        _deadline != DateTime.MaxValue && DateTime.UtcNow >= _deadline && exception is not RpcException
            ? DeadlineExceeded
            : StatusMapping.FromException(exception);

    private void DisposeResponse()
    {
        HttpResponseMessage? response;
        lock (_lock)
        {
            response = _response;
        }
        response?.Dispose();
    }

    private static TimeSpan Due(TimeSpan remaining) =>
        remaining > MaxTimerDue ? MaxTimerDue : remaining + TimeSpan.FromMilliseconds(1);

    private static DateTime NormalizeDeadline(DateTime? deadline) => deadline switch
    {
        null => DateTime.MaxValue,
        { } d when d == DateTime.MaxValue => DateTime.MaxValue,
        { Kind: DateTimeKind.Local } d => d.ToUniversalTime(),
        { } d => d,
    };
}
