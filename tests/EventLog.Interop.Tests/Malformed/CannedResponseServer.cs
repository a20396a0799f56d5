using System.Net;
using EventLog.Interop.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace EventLog.Interop.Tests.Malformed;

/// <summary>
/// A bare Kestrel h2c server that answers <c>POST /{case}/grpc.testing.TestService/UnaryCall</c> with a
/// hand-made, usually broken, gRPC response, to check how our client copes with a misbehaving server.
/// A channel for <c>http://127.0.0.1:port/{case}</c> reaches the case (the channel keeps the path prefix).
/// </summary>
public sealed class CannedResponseServer : IAsyncLifetime
{
    private static readonly Dictionary<string, Func<HttpContext, Task>> Cases = new()
    {
        ["truncated-gzip"] = c => Reply(c, RawGrpcClient.Frame([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad], compressed: true), encoding: "gzip"),
        ["truncated-frame"] = c => Reply(c, RawGrpcClient.Frame(new byte[10], declaredLength: 100)),
        ["compressed-without-encoding"] = c => Reply(c, RawGrpcClient.Frame([0x10, 0x01], compressed: true)),
        ["over-receive-limit"] = c => Reply(c, RawGrpcClient.Frame([], declaredLength: 5 * 1024 * 1024)),
        ["no-grpc-status"] = c => Reply(c, RawGrpcClient.Frame([]), status: null),
        ["percent-encoded-message"] = c => TrailersOnly(c, "3", "caf%C3%A9 %E2%98%BA 100%25 done"),
        ["invalid-percent-encoding"] = c => TrailersOnly(c, "3", "bad %ZZ and %E2%98 and %"),
        ["http-400"] = c => HttpError(c, 400),
        ["http-401"] = c => HttpError(c, 401),
        ["http-403"] = c => HttpError(c, 403),
        ["http-404"] = c => HttpError(c, 404),
        ["http-429"] = c => HttpError(c, 429),
        ["http-502"] = c => HttpError(c, 502),
        ["http-503"] = c => HttpError(c, 503),
        ["http-504"] = c => HttpError(c, 504),
        ["http-500"] = c => HttpError(c, 500),
    };

    private WebApplication? _app;

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public string Address { get; private set; } = "";

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.MapPost("/{case}/grpc.testing.TestService/UnaryCall", async context =>
        {
            await DrainRequestAsync(context);
            await Cases[(string)context.Request.RouteValues["case"]!](context);
        });
        await app.StartAsync().WithTimeout();
        _app = app;
        Address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().WithTimeout();
            await _app.DisposeAsync().AsTask().WithTimeout();
        }
    }

    private static async Task DrainRequestAsync(HttpContext context)
    {
        while (true)
        {
            var read = await context.Request.BodyReader.ReadAsync(context.RequestAborted);
            context.Request.BodyReader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                return;
            }
        }
    }

    private static async Task Reply(HttpContext context, byte[] body, string? encoding = null, string? status = "0")
    {
        context.Response.ContentType = "application/grpc";
        if (encoding is not null)
        {
            context.Response.Headers["grpc-encoding"] = encoding;
        }
        await context.Response.BodyWriter.WriteAsync(body, context.RequestAborted);
        if (status is not null)
        {
            context.Features.GetRequiredFeature<IHttpResponseTrailersFeature>().Trailers["grpc-status"] = status;
        }
    }

    private static Task TrailersOnly(HttpContext context, string status, string message)
    {
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = status;
        context.Response.Headers["grpc-message"] = message;
        return Task.CompletedTask;
    }

    private static Task HttpError(HttpContext context, int status)
    {
        // What a proxy or load balancer in front of a gRPC server sends: no gRPC headers at all.
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync("upstream says no");
    }
}
