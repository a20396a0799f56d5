namespace EventLog.Server.Auth;

/// <summary>
/// TLS for the gRPC endpoints (configuration section <c>Tls</c>). With a certificate, <c>https://</c> addresses
/// serve HTTP/2 over TLS (ALPN h2), and the default address becomes <c>https://127.0.0.1:50051</c>.
/// </summary>
public sealed class TlsOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Tls";

    /// <summary>A PKCS#12 file (<c>.pfx</c>/<c>.p12</c>) or a PEM certificate. Null (default): no TLS.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PKCS#12 password, or the password of an encrypted PEM key. Default: none.</summary>
    public string? Password { get; set; }

    /// <summary>The PEM private key when <see cref="CertificatePath"/> is a PEM certificate without its key. Default: none.</summary>
    public string? KeyPath { get; set; }
}
