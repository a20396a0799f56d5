using Grpc.Core;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace EventLog.Rpc.Server.Health;

/// <summary>
/// The sending side of one Health/Watch call: sends a status only when it differs from the last one
/// sent, whether the handler loop or the shutdown callback sends it.
/// </summary>
internal sealed class HealthWatch(IServerStreamWriter<HealthCheckResponse> responseStream, CancellationToken farewellToken)
{
    private readonly Lock _lock = new();
    private ServingStatus? _last;
    private Task _farewell = Task.CompletedTask;

    /// <summary>Sends <paramref name="status"/> unless it is the last status sent.</summary>
    public Task SendIfChangedAsync(ServingStatus status, CancellationToken cancellationToken) =>
        Claim(status) ? responseStream.WriteAsync(new HealthCheckResponse { Status = status }, cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// Starts sending NOT_SERVING on a token the call's own cancellation does not touch; called when the
    /// host starts stopping. The write is issued before this returns, so it is queued ahead of the end of the call.
    /// </summary>
    public void SendFarewell()
    {
        if (Claim(ServingStatus.NotServing))
        {
            _farewell = responseStream.WriteAsync(new HealthCheckResponse { Status = ServingStatus.NotServing }, farewellToken);
        }
    }

    /// <summary>Waits (bounded) for the NOT_SERVING write; a failure only means the client is gone.</summary>
    public async Task WaitForFarewellAsync(TimeSpan timeout)
    {
        try
        {
            await _farewell.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException or TimeoutException or IOException or InvalidOperationException)
        {
        }
    }

    private bool Claim(ServingStatus status)
    {
        lock (_lock)
        {
            if (_last == status)
            {
                return false;
            }
            _last = status;
            return true;
        }
    }
}
