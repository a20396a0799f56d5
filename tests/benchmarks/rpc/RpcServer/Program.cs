// Usage: RpcServer [PORT]
// Our gRPC server with the interop TestService (plus health and reflection, as a real host has),
// h2c on 127.0.0.1. Prints `PORT <n>` once listening; stops on SIGTERM/Ctrl+C.
using System.Globalization;
using System.Net;
using EventLog.Interop.Tests.Services;
using EventLog.Rpc.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 0;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
builder.Services.AddGrpcServer();
builder.Services.AddSingleton<TestServiceImpl>();
var app = builder.Build();
app.MapGrpcService<TestServiceImpl>();
app.MapGrpcHealthService();
app.MapGrpcReflectionService();
await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
Console.WriteLine($"PORT {new Uri(address).Port}");
await app.WaitForShutdownAsync();
