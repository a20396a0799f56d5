using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EventLog.Benchmarks.E2E;

/// <summary>
/// Stands in for an OpenTelemetry collector on loopback: takes OTLP/HTTP exports (<c>/v1/traces</c>, <c>/v1/metrics</c>),
/// reads them whole and answers 200 with an empty export response, so the traced server pays for recording,
/// batching, serialising and sending its telemetry as it would in production.
/// </summary>
public sealed class OtlpSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _exports;
    private long _bytes;

    private OtlpSink(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The base address to give the server as <c>Observability:OtlpEndpoint</c> (protocol HttpProtobuf).</summary>
    public Uri Address { get; }

    /// <summary>Export requests received so far.</summary>
    public long Exports => Interlocked.Read(ref _exports);

    /// <summary>Bytes of telemetry received so far.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public static async Task<OtlpSink> StartAsync()
    {
        var port = EventLog.Tests.Shared.FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var sink = new OtlpSink(app, new Uri($"http://127.0.0.1:{port}"));
        app.MapPost("/v1/{signal}", sink.TakeAsync);
        await app.StartAsync();
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task TakeAsync(HttpContext http)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
        {
            Interlocked.Add(ref _bytes, read);
        }
        Interlocked.Increment(ref _exports);
        http.Response.ContentType = "application/x-protobuf";
    }
}
