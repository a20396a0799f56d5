using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventLog.Interop.Tests.Malformed;

/// <summary>
/// A bare Kestrel h2c server (no gRPC stack at all) that answers any POST with a hand-made gRPC error, usually
/// with a broken <c>grpc-status-details-bin</c>, chosen by the request's <c>x-canned-case</c> header. It stands
/// for a faulty peer or a proxy in front of EventLog, to check what the SDK makes of what it gets back.
/// </summary>
public sealed class CannedResponseServer : IAsyncLifetime
{
    /// <summary>The request header naming the case.</summary>
    public const string CaseHeader = "x-canned-case";

    /// <summary>The grpc-message of every canned gRPC error.</summary>
    public const string Message = "page_size: must not be negative";

    private static readonly Dictionary<string, Func<HttpContext, Task>> Cases = new()
    {
        ["details-valid"] = c => InvalidArgument(c, Encode(ValidStatus().ToByteArray())),
        ["details-not-protobuf"] = c => InvalidArgument(c, Encode([0xff, 0xff, 0xff, 0xff])),
        ["details-not-base64"] = c => InvalidArgument(c, "%%% not base64 %%%"),
        ["details-empty"] = c => InvalidArgument(c, ""),
        ["details-any-not-protobuf"] = c => InvalidArgument(c, Encode(new Status
        {
            Code = 3, Message = Message, Details = { new Any { TypeUrl = "type.googleapis.com/google.rpc.ErrorInfo", Value = ByteString.CopyFrom(0xff, 0xff, 0xff) } },
        }.ToByteArray())),
        ["details-of-another-code"] = c => InvalidArgument(c, Encode(new Status { Code = 5, Message = "something else", Details = { Any.Pack(new ErrorInfo { Reason = "NOT_FOUND" }) } }.ToByteArray())),
        ["http-503"] = c => HttpError(c, 503),
    };

    private readonly ConcurrentDictionary<string, int> _requests = new();
    private WebApplication? _app;

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public string Address { get; private set; } = "";

    /// <summary>How many requests named <paramref name="case"/> so far.</summary>
    public int Requests(string @case) => _requests.GetValueOrDefault(@case);

    /// <summary>The google.rpc.Status of the valid case: an ErrorInfo and a BadRequest on page_size.</summary>
    public static Status ValidStatus() => new()
    {
        Code = 3,
        Message = Message,
        Details =
        {
            Any.Pack(new ErrorInfo { Reason = "INVALID_ARGUMENT", Domain = "eventlog.v1" }),
            Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = "page_size", Description = "must not be negative" } } }),
        },
    };

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.MapPost("/{**method}", async context =>
        {
            var @case = context.Request.Headers[CaseHeader].ToString();
            _requests.AddOrUpdate(@case, 1, (_, n) => n + 1);
            await DrainRequestAsync(context);
            await Cases[@case](context);
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

    // Binary metadata travels as base64 without padding.
    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static Task InvalidArgument(HttpContext context, string details)
    {
        // Trailers-only: the status in the only HEADERS frame, as a server answers an error before any message.
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = "3";
        context.Response.Headers["grpc-message"] = Message;
        context.Response.Headers["grpc-status-details-bin"] = details;
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
