using EventLog.Interop.Tests.Hosting;

namespace EventLog.Interop.Tests.Compression;

/// <summary>The real host compressing responses with gzip for clients that accept it (<c>Grpc:ResponseCompression</c>).</summary>
public sealed class GzipHostFixture : RealHostFixture
{
    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?> { ["Grpc__ResponseCompression"] = "gzip" };
}
