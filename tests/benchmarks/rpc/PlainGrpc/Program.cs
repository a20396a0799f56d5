// Usage: PlainGrpc [PORT]
// grpc-dotnet as its documentation sets it up: AddGrpc, the gRPC health service with one health check
// that always reports Healthy, and h2c on 127.0.0.1:PORT (0, the default, takes a free port). Prints
// `PORT <n>` once listening, which run.sh waits for; stops on SIGTERM/Ctrl+C.
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;

var port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 0;

// CreateBuilder, not the slim one: the EventLog server and the grpc-dotnet template use it, so the
// middleware in front of the gRPC endpoint is the same on both sides.
var builder = WebApplication.CreateBuilder();
// Warning, as the EventLog server runs Microsoft.AspNetCore: neither side writes a line per request.
builder.Logging.SetMinimumLevel(LogLevel.Warning);
// h2c needs HTTP/2 alone on the endpoint: without TLS there is no ALPN to pick it.
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
builder.Services.AddGrpc();
// With no check registered, Check("") answers UNKNOWN (grpc-dotnet reports SERVING only when a check ran
// and none was unhealthy). One check that does nothing makes the answer SERVING, the same bytes as
// EventLog's and bare Kestrel's, and keeps grpc-dotnet's per-call run of the health checks in the
// reference; what EventLog's own check costs beyond that is part of what the ratio shows.
builder.Services.AddGrpcHealthChecks().AddCheck("plain", () => HealthCheckResult.Healthy());

var app = builder.Build();
app.MapGrpcHealthChecksService();
await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
Console.WriteLine($"PORT {new Uri(address).Port}");
await app.WaitForShutdownAsync();
