using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EventLog.Server.Auth;

/// <summary>Turns on TLS for the gRPC endpoints when <c>Tls:CertificatePath</c> is configured.</summary>
public static class TlsHostingExtensions
{
    /// <summary>The address used with a certificate when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> is given.</summary>
    public const string DefaultTlsUrl = "https://127.0.0.1:50051";

    /// <summary>
    /// Loads the certificate (failing start with a clear message when it cannot be read) and makes it Kestrel's
    /// default for <c>https://</c> endpoints, TLS 1.2 or 1.3 only. Does nothing without <c>Tls:CertificatePath</c>.
    /// </summary>
    public static WebApplicationBuilder AddEventLogTls(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var tls = builder.Configuration.GetSection(TlsOptions.SectionName).Get<TlsOptions>() ?? new TlsOptions();
        if (string.IsNullOrEmpty(tls.CertificatePath))
        {
            return builder;
        }
        var certificate = LoadCertificate(tls);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = certificate;
            https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        }));
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["Kestrel:Endpoints"]) && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultTlsUrl);
        }
        return builder;
    }

    /// <summary>Reads a PKCS#12 file, or a PEM certificate with its key (in the same file or <see cref="TlsOptions.KeyPath"/>).</summary>
    public static X509Certificate2 LoadCertificate(TlsOptions tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var path = tls.CertificatePath ?? throw new InvalidOperationException("Tls:CertificatePath is not set.");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Tls:CertificatePath '{path}' does not exist.");
        }
        X509Certificate2 certificate;
        try
        {
            var extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension is ".pfx" or ".p12")
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(path, tls.Password);
            }
            else
            {
                var keyPath = string.IsNullOrEmpty(tls.KeyPath) ? null : tls.KeyPath;
                certificate = string.IsNullOrEmpty(tls.Password)
                    ? X509Certificate2.CreateFromPemFile(path, keyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(path, tls.Password, keyPath);
            }
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or ArgumentException)
        {
            throw new InvalidOperationException($"Tls:CertificatePath '{path}' could not be loaded: {ex.Message}", ex);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"Tls:CertificatePath '{path}' has no private key; set Tls:KeyPath for a PEM key file.");
        }
        return certificate;
    }
}
