using EventLog.Interop.Tests.Infrastructure;

namespace EventLog.Interop.Tests.Malformed;

/// <summary>Our server with a 64 KiB receive limit, so the over-limit cases need little traffic.</summary>
public sealed class SmallLimitServer : InProcessServer
{
    /// <summary>The configured receive limit.</summary>
    public const int Limit = 64 * 1024;

    /// <inheritdoc/>
    protected override int MaxReceiveMessageSize => Limit;
}
