using EventLog.Interop.Tests.Infrastructure;

namespace EventLog.Interop.Tests.Compression;

/// <summary>Our server configured with <c>ResponseCompression = "gzip"</c>.</summary>
public sealed class GzipServer : InProcessServer
{
    /// <inheritdoc/>
    protected override string? ResponseCompression => "gzip";
}
