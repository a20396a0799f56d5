using EventLog.Rpc.Server;
using EventLog.Server;

var builder = WebApplication.CreateBuilder(args);
builder.AddEventLogHosting();
builder.Services.AddGrpcServer(options => builder.Configuration.GetSection(GrpcServerOptions.SectionName).Bind(options));

var app = builder.Build();
app.MapGrpcHealthService();
app.MapGrpcReflectionService();
app.Run();

/// <summary>Entry point, visible to tests that host the server in-process.</summary>
public partial class Program;
