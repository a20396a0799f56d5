// Child process for the storage tests that need a real second process.
//   <dataDirectory>          kill -9 test: appends task log lines forever, printing each committed line
//                            number (flushed) only after AppendLinesAsync returned. The parent kills it and
//                            checks every printed line is in the database.
//   migrate <dataDirectory>  concurrent migration test: opens the storage, prints "ready", waits for a line
//                            on stdin so two children start migrating at the same moment, then migrates
//                            and prints "applied <count>".
using EventLog.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

var migrateOnly = args is ["migrate", _];
var dataDirectory = migrateOnly ? args[1] : args[0];
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Storage:DataDirectory"] = dataDirectory,
}).Build();
await using var services = new ServiceCollection().AddLogging().AddEventLogStorage(configuration).BuildServiceProvider();
var migrator = services.GetRequiredService<IStorageMigrator>();
var stdout = Console.Out;
if (migrateOnly)
{
    stdout.WriteLine("ready");
    stdout.Flush();
    await Console.In.ReadLineAsync();
    var applied = await migrator.MigrateAsync();
    stdout.WriteLine($"applied {applied}");
    stdout.Flush();
    return;
}

await migrator.MigrateAsync();
var repository = services.GetRequiredService<ITaskLogRepository>();
var task = await repository.StartTaskAsync(new StartTaskRequest { Project = "crash", App = "crash", TargetUri = "/crash" });

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
