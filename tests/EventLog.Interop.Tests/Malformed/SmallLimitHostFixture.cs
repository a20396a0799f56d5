using EventLog.Interop.Tests.Hosting;

namespace EventLog.Interop.Tests.Malformed;

/// <summary>The real host with a 64 KiB receive limit (<c>Grpc:MaxReceiveMessageSize</c>), so over-limit cases need little traffic.</summary>
public sealed class SmallLimitHostFixture : RealHostFixture
{
    /// <summary>The configured receive limit.</summary>
    public const int Limit = 64 * 1024;

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?> { ["Grpc__MaxReceiveMessageSize"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
