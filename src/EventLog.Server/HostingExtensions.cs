using EventLog.Server.Auth;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EventLog.Server;

/// <summary>Kestrel set-up shared by the server and in-process tests.</summary>
public static class HostingExtensions
{
    /// <summary>The address used when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:50051";

    /// <summary>HTTP/2 on every endpoint (h2c on http://, ALPN h2 on https://), TLS when <c>Tls:CertificatePath</c> is set; the default address when none is configured.</summary>
    public static WebApplicationBuilder AddEventLogHosting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddEventLogTls();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
        // Kestrel:Endpoints is a section (Kestrel:Endpoints:<name>:Url), which has no value of its own.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        return builder;
    }
}
