using System.Threading.Channels;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Hosting;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace EventLog.Rpc.Server.Health;

/// <summary>The standard gRPC health service.</summary>
internal sealed class HealthServiceImpl(HealthStatusManager statuses, IHostApplicationLifetime lifetime) : Grpc.Health.V1.Health.HealthBase
{
    private static readonly TimeSpan FarewellTimeout = TimeSpan.FromSeconds(5);

    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        var status = statuses.GetStatus(request.Service)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"Unknown service '{request.Service}'."));
        return Task.FromResult(new HealthCheckResponse { Status = status });
    }

    public override async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        var stopping = lifetime.ApplicationStopping;
        var watch = new HealthWatch(responseStream, lifetime.ApplicationStopped);
        var changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var subscription = statuses.Subscribe(() => changes.Writer.TryWrite(true));
        // The runtime cancels every call when the host starts stopping, and a cancelled call can send
        // nothing more. This registration comes after the runtime's one for this call, and a
        // CancellationTokenSource runs its callbacks newest first, so NOT_SERVING is on its way before
        // the call is cancelled: a watcher learns the server is going instead of only losing the stream.
        using var farewell = stopping.UnsafeRegister(static state => ((HealthWatch)state!).SendFarewell(), watch);
        try
        {
            while (true)
            {
                var current = statuses.GetStatus(request.Service) ?? ServingStatus.ServiceUnknown;
                await watch.SendIfChangedAsync(current, context.CancellationToken).ConfigureAwait(false);
                await changes.Reader.ReadAsync(context.CancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (stopping.IsCancellationRequested && ex is OperationCanceledException or RpcException)
        {
            // Ending normally would be status OK, which tells the watcher nothing went wrong; UNAVAILABLE
            // makes it reconnect (to another replica).
            await watch.WaitForFarewellAsync(FarewellTimeout).ConfigureAwait(false);
            throw new RpcException(new Status(StatusCode.Unavailable, "The server is shutting down."));
        }
    }
}
