using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EventLog.Server.Infrastructure;

/// <summary>
/// A listening address as operators write it (<c>http://127.0.0.1:50052</c>, <c>https://*:8443</c>,
/// <c>http://localhost:9464</c>), which EventLog binds itself when Kestrel's own <c>urls</c> handling cannot
/// express what it needs (a second listener with other protocols). The host is an IP address, <c>localhost</c>,
/// or every address (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>); names are refused rather than guessed.
/// </summary>
public sealed record ListenUrl(bool Https, IPAddress? Address, bool Localhost, int Port)
{
    /// <summary>Parses <paramref name="url"/>; false for another scheme, a host name, a path or a missing port.</summary>
    public static bool TryParse(string? url, [NotNullWhen(true)] out ListenUrl? parsed)
    {
        parsed = null;
        if (string.IsNullOrWhiteSpace(url))
        {
            return false;
        }
        var normalized = url.Trim().TrimEnd('/').Replace("://*", "://any-address", StringComparison.Ordinal).Replace("://+", "://any-address", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
        {
            return false;
        }
        var https = uri.Scheme == Uri.UriSchemeHttps;
        var host = uri.Host.Trim('[', ']');
        if (host is "any-address" or "0.0.0.0" or "::")
        {
            parsed = new ListenUrl(https, null, false, uri.Port);
        }
        else if (host == "localhost")
        {
            parsed = new ListenUrl(https, null, true, uri.Port);
        }
        else if (IPAddress.TryParse(host, out var address))
        {
            parsed = new ListenUrl(https, address, false, uri.Port);
        }
        return parsed is not null;
    }

    /// <summary>Adds a Kestrel listener for this address with <paramref name="protocols"/>, TLS on <c>https</c> (Kestrel's default certificate).</summary>
    public void Listen(KestrelServerOptions kestrel, HttpProtocols protocols, Action<ListenOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        Action<ListenOptions> setUp = listen =>
        {
            listen.Protocols = protocols;
            if (Https)
            {
                listen.UseHttps();
            }
            configure?.Invoke(listen);
        };
        if (Localhost)
        {
            kestrel.ListenLocalhost(Port, setUp);
        }
        else if (Address is null)
        {
            kestrel.ListenAnyIP(Port, setUp);
        }
        else
        {
            kestrel.Listen(Address, Port, setUp);
        }
    }
}
