namespace EventLog.Server.Rest;

/// <summary>The HTTP/JSON API's listener (configuration section <c>Rest</c>), read once while the host is built.</summary>
public sealed class RestOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Rest";

    /// <summary>The configuration key of <see cref="Url"/>.</summary>
    public const string UrlKey = SectionName + ":" + nameof(Url);

    /// <summary>The port of the default address, beside gRPC's 50051.</summary>
    public const int DefaultPort = 50052;

    /// <summary>
    /// Where a listener speaking HTTP/1.1 (and HTTP/2 on <c>https://</c>) serves the HTTP/JSON API and its OpenAPI document,
    /// e.g. <c>http://127.0.0.1:50052</c>; <c>https://</c> uses the <c>Tls</c> certificate. It stands beside the
    /// gRPC endpoints, which stay HTTP/2 only: without TLS a port speaks either h2c (gRPC) or HTTP/1.1 (browsers,
    /// curl), never both. Default: <c>http://127.0.0.1:50052</c> (<c>https://</c> with <c>Tls:CertificatePath</c>)
    /// when no gRPC address is configured either, as with a plain <c>dotnet run</c>; otherwise none. An empty value
    /// turns the listener off.
    /// </summary>
    public string? Url { get; set; }
}
