using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EventLog.Server.Rest;

/// <summary>Puts the HTTP/JSON listener (<see cref="RestOptions.Url"/>) on the server beside the gRPC endpoints.</summary>
public static class RestHostingExtensions
{
    /// <summary>
    /// Adds the HTTP/1.1 listener (HTTP/1.1 and HTTP/2 on <c>https://</c>) and registers the <see cref="RestListener"/>. <paramref name="addressesDefaulted"/>
    /// says that no gRPC address was configured, which turns the listener on at its default address.
    /// <para>
    /// Kestrel binds either the <c>urls</c> (and <c>ASPNETCORE_HTTP_PORTS</c>) or the listeners configured in code,
    /// never both, and warns that it drops the former. So with a REST listener, the gRPC addresses given as <c>urls</c>
    /// or ports are bound here too, each HTTP/2 only, and Kestrel's own address settings are emptied. Endpoints under
    /// <c>Kestrel:Endpoints</c> are bound by Kestrel beside ours.
    /// </para>
    /// </summary>
    public static WebApplicationBuilder AddEventLogRestListener(this WebApplicationBuilder builder, bool addressesDefaulted)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var listener = new RestListener();
        builder.Services.AddSingleton(listener);
        var url = configuration.GetSection(RestOptions.SectionName).Get<RestOptions>()?.Url ?? (addressesDefaulted ? DefaultUrl(configuration) : null);
        if (string.IsNullOrEmpty(url))
        {
            return builder;
        }
        if (!ListenUrl.TryParse(url, out var rest))
        {
            throw new InvalidOperationException($"{RestOptions.UrlKey} '{url}' must be http(s)://host:port with host an IP address, localhost or * (e.g. http://127.0.0.1:{RestOptions.DefaultPort}), or empty for no HTTP/JSON listener.");
        }
        var grpc = configuration.GetSection("Kestrel:Endpoints").Exists() ? [] : GrpcAddresses(configuration);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var address in grpc)
            {
                address.Listen(kestrel, HttpProtocols.Http2);
            }
            // HTTP/2 needs TLS here: without it Kestrel would speak HTTP/1.1 anyway, after a warning at every start.
            rest.Listen(kestrel, rest.Https ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1, listener.Track);
        });
        if (grpc.Count > 0)
        {
            // An empty urls would make ASP.NET Core fall back to the urls it read at start-up; ";" lists no address.
            builder.WebHost.UseSetting("urls", ";");
            builder.WebHost.UseSetting("http_ports", "");
            builder.WebHost.UseSetting("https_ports", "");
        }
        return builder;
    }

    /// <summary>The settings Kestrel takes gRPC addresses from, besides <c>Kestrel:Endpoints</c>.</summary>
    internal static readonly string[] AddressKeys = ["urls", "http_ports", "https_ports"];

    private static string DefaultUrl(IConfiguration configuration)
    {
        var scheme = string.IsNullOrEmpty(configuration[$"{TlsOptions.SectionName}:{nameof(TlsOptions.CertificatePath)}"]) ? "http" : "https";
        return $"{scheme}://127.0.0.1:{RestOptions.DefaultPort}";
    }

    /// <summary>The gRPC addresses of <c>urls</c>, or else of the port settings, as ASP.NET Core reads them.</summary>
    private static List<ListenUrl> GrpcAddresses(IConfiguration configuration)
    {
        var urls = configuration["urls"];
        IEnumerable<(string Key, string Url)> given = !string.IsNullOrEmpty(urls)
            ? Split(urls).Select(u => ("urls", u))
            : Split(configuration["http_ports"]).Select(p => ("ASPNETCORE_HTTP_PORTS", $"http://*:{p}"))
                .Concat(Split(configuration["https_ports"]).Select(p => ("ASPNETCORE_HTTPS_PORTS", $"https://*:{p}")));
        var addresses = new List<ListenUrl>();
        foreach (var (key, address) in given)
        {
            if (!ListenUrl.TryParse(address, out var parsed))
            {
                throw new InvalidOperationException($"{key} entry '{address}' cannot be bound beside {RestOptions.UrlKey}: give http(s)://host:port with host an IP address, localhost or *.");
            }
            addresses.Add(parsed);
        }
        return addresses;
    }

    private static string[] Split(string? value) =>
        string.IsNullOrEmpty(value) ? [] : value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
