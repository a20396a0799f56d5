// Child process for the kill -9 test: appends task log lines forever, printing each committed line
// number (flushed) only after AppendLinesAsync returned. The parent kills it and checks every printed
// line is in the database.
using EventLog.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

var dataDirectory = args[0];
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Storage:DataDirectory"] = dataDirectory,
}).Build();
var services = new ServiceCollection().AddLogging().AddEventLogStorage(configuration).BuildServiceProvider();
await services.GetRequiredService<IStorageMigrator>().MigrateAsync();
var repository = services.GetRequiredService<ITaskLogRepository>();
var task = await repository.StartTaskAsync(new StartTaskRequest { Project = "crash", App = "crash", TargetUri = "/crash" });

var stdout = Console.Out;
stdout.WriteLine($"task {task.Id}");
stdout.Flush();
for (var i = 0; ; i++)
{
    var batch = (i % 3) + 1;
    var lines = Enumerable.Range(0, batch).Select(n => $"line {i}.{n}").ToList();
    var range = await repository.AppendLinesAsync(task.Id, lines);
    stdout.WriteLine($"committed {range.First} {range.Last}");
    stdout.Flush();
}
