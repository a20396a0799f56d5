using EventLog.Server;

// Settings are read once at start. Reloading them on change would watch the content root, where the SQLite
// files live by default, and wake a file watcher on every commit; a later --hostBuilder:reloadConfigOnChange wins.
var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
builder.AddEventLogHosting();
builder.Services.AddEventLogServer(builder.Configuration);

var app = builder.Build();
app.MapEventLogServices();
app.Run();

/// <summary>Entry point, visible to tests that host the server in-process.</summary>
public partial class Program;
