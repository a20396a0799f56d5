using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace EventLog.Server.Observability;

/// <summary>
/// Serves <see cref="PrometheusExporter"/> on its own small Kestrel listener (<see cref="ObservabilityOptions.MetricsUrl"/>,
/// HTTP/1.1 and HTTP/2), apart from the HTTP/2-only gRPC endpoints: scrapers speak HTTP/1.1, and adding a
/// listener to the main server would override <c>--urls</c>.
/// </summary>
public sealed partial class MetricsEndpoint(IOptions<ObservabilityOptions> options, IServiceProvider services, ILogger<MetricsEndpoint> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The address the listener bound (with the real port when 0 was configured); null when not listening.</summary>
    public Uri? Address { get; private set; }

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.MetricsUrl) || !TryParseUrl(settings.MetricsUrl, out var host, out var port))
        {
            return;
        }
        var exporter = services.GetRequiredService<PrometheusExporter>();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(MetricsEndpoint).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            Action<ListenOptions> protocols = listen => listen.Protocols = HttpProtocols.Http1AndHttp2;
            switch (host)
            {
                case null:
                    kestrel.ListenAnyIP(port, protocols);
                    break;
                case "localhost":
                    kestrel.ListenLocalhost(port, protocols);
                    break;
                default:
                    kestrel.Listen(IPAddress.Parse(host), port, protocols);
                    break;
            }
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.UseRouting();
        app.MapGet(settings.MetricsPath, async httpContext =>
        {
            httpContext.Response.ContentType = PrometheusExporter.ContentType;
            await httpContext.Response.WriteAsync(exporter.Render(), httpContext.RequestAborted).ConfigureAwait(false);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        Address = bound is null ? null : new Uri(new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)), settings.MetricsPath);
        LogMetricsListening(logger, Address?.ToString() ?? settings.MetricsUrl);
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }

    /// <summary>Parses <c>http://host:port</c>; host null means every address (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>).</summary>
    internal static bool TryParseUrl(string url, out string? host, out int port)
    {
        host = null;
        port = 0;
        var normalized = url.Replace("://*", "://any-address", StringComparison.Ordinal).Replace("://+", "://any-address", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            return false;
        }
        port = uri.Port;
        var name = uri.Host.Trim('[', ']');
        if (name is "any-address" or "0.0.0.0" or "::")
        {
            return true;
        }
        if (name == "localhost" || IPAddress.TryParse(name, out _))
        {
            host = name;
            return true;
        }
        return false;
    }

    [LoggerMessage(EventId = 710, Level = LogLevel.Information, Message = "Prometheus metrics on {Address}.")]
    private static partial void LogMetricsListening(ILogger logger, string address);
}
