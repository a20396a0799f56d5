using EventLog.Server.Infrastructure;
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
        if (!ListenUrl.TryParse(settings.MetricsUrl, out var url) || url.Https)
        {
            return;
        }
        var exporter = services.GetRequiredService<PrometheusExporter>();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(MetricsEndpoint).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => url.Listen(kestrel, HttpProtocols.Http1AndHttp2));
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
        LogMetricsListening(logger, Address?.ToString() ?? settings.MetricsUrl!);
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

    [LoggerMessage(EventId = 710, Level = LogLevel.Information, Message = "Prometheus metrics on {Address}.")]
    private static partial void LogMetricsListening(ILogger logger, string address);
}
