using Microsoft.Extensions.Hosting;

namespace EventLog.Rpc.Server.Internal;

/// <summary>Fires when the host starts stopping, so long-lived streams end with UNAVAILABLE instead of hanging shutdown.</summary>
internal sealed class ServerShutdown(IHostApplicationLifetime lifetime)
{
    public CancellationToken Token => lifetime.ApplicationStopping;
}
