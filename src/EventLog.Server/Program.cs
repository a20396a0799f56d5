using EventLog.Server;

var builder = WebApplication.CreateBuilder(args);
builder.AddEventLogHosting();
builder.Services.AddEventLogServer(builder.Configuration);

var app = builder.Build();
app.MapEventLogServices();
app.Run();

/// <summary>Entry point, visible to tests that host the server in-process.</summary>
public partial class Program;
