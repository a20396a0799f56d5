// Usage: BareKestrel RESPONSE_FILE [PORT]
// Answers every POST /grpc.health.v1.Health/Check with the framed gRPC response in RESPONSE_FILE (run.sh
// writes the bytes of HealthCheckResponse{status: SERVING}) and the trailer grpc-status: 0, after reading
// the whole request body as a gRPC server must. No gRPC code runs: this is what Kestrel alone costs for
// the same exchange. h2c on 127.0.0.1:PORT (0, the default, takes a free port); prints `PORT <n>` once
// listening; stops on SIGTERM/Ctrl+C.
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: BareKestrel RESPONSE_FILE [PORT]");
    return 2;
}
var response = File.ReadAllBytes(args[0]);
var port = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
var app = builder.Build();
app.MapPost("/grpc.health.v1.Health/Check", async context =>
{
    // A gRPC server reads the request message before it answers; draining the body keeps that cost in.
    var reader = context.Request.BodyReader;
    while (true)
    {
        var read = await reader.ReadAsync(context.RequestAborted);
        reader.AdvanceTo(read.Buffer.End);
        if (read.IsCompleted)
        {
            break;
        }
    }
    context.Response.ContentType = "application/grpc";
    await context.Response.BodyWriter.WriteAsync(response, context.RequestAborted);
    context.Features.GetRequiredFeature<IHttpResponseTrailersFeature>().Trailers["grpc-status"] = "0";
});
await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
Console.WriteLine($"PORT {new Uri(address).Port}");
await app.WaitForShutdownAsync();
return 0;
