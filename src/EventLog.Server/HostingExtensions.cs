using EventLog.Server.Auth;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EventLog.Server;

/// <summary>Kestrel set-up shared by the server and in-process tests.</summary>
public static class HostingExtensions
{
    /// <summary>The address used when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:50051";

    /// <summary>
    /// HTTP/2 on every endpoint (h2c on http://, ALPN h2 on https://), TLS when <c>Tls:CertificatePath</c> is set.
    /// Addresses come from <c>--urls</c>/<c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>/<c>ASPNETCORE_HTTPS_PORTS</c>
    /// (which .NET container images set) or <c>Kestrel:Endpoints</c>, as in any ASP.NET Core app; only when none of
    /// them is configured does the server listen on <see cref="DefaultUrl"/>.
    /// </summary>
    public static WebApplicationBuilder AddEventLogHosting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddEventLogTls();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
        // Kestrel:Endpoints is a section (Kestrel:Endpoints:<name>:Url), which has no value of its own.
        var configured = new[] { "urls", "http_ports", "https_ports" }.Any(key => !string.IsNullOrEmpty(builder.Configuration[key]));
        if (!configured && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        return builder;
    }
}
