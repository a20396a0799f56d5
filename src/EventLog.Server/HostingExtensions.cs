using EventLog.Server.Rest;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EventLog.Server;

/// <summary>Kestrel set-up shared by the server and in-process tests.</summary>
public static class HostingExtensions
{
    /// <summary>The address used when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:50051";

    /// <summary>
    /// HTTP/2 on every gRPC endpoint (h2c on http://, ALPN h2 on https://), TLS when <c>Tls:CertificatePath</c> is set,
    /// and the HTTP/1.1 listener of the HTTP/JSON API (<see cref="RestOptions.Url"/>).
    /// Addresses come from <c>--urls</c>/<c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>/<c>ASPNETCORE_HTTPS_PORTS</c>
    /// (which .NET container images set) or <c>Kestrel:Endpoints</c>, as in any ASP.NET Core app; only when none of
    /// them is configured does the server listen on <see cref="DefaultUrl"/>, and the HTTP/JSON API on port
    /// <see cref="RestOptions.DefaultPort"/> beside it.
    /// </summary>
    public static WebApplicationBuilder AddEventLogHosting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Kestrel:Endpoints is a section (Kestrel:Endpoints:<name>:Url), which has no value of its own.
        var configured = RestHostingExtensions.AddressKeys.Any(key => !string.IsNullOrEmpty(builder.Configuration[key]))
            || builder.Configuration.GetSection("Kestrel:Endpoints").Exists();
        builder.AddEventLogTls();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
        if (!configured && string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        builder.AddEventLogRestListener(addressesDefaulted: !configured);
        return builder;
    }
}
