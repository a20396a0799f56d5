// Child process for the storage tests that need a real second process.
//   <dataDirectory>          kill -9 test: appends task log lines forever, printing each committed line
//                            number (flushed) only after AppendLinesAsync returned. The parent kills it and
//                            checks every printed line is in the database.
//   migrate <dataDirectory>  concurrent migration test: opens the storage, prints "ready", waits for a line
//                            on stdin so two children start migrating at the same moment, then migrates
//                            and prints "applied <count>".
//   migrate-postgres <connectionString>
//                            the same on PostgreSQL.
//   append-postgres <connectionString> <taskId> <writer> <count>
//                            concurrent writers test: prints "ready", waits for a line on stdin, appends <count>
//                            lines "<writer> <i>" to the task one write each, then prints "done".
using System.Globalization;
using EventLog.Storage;
using EventLog.Storage.TaskLog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

var mode = args.Length > 1 ? args[0] : "crash";
var settings = mode.EndsWith("-postgres", StringComparison.Ordinal)
    ? new Dictionary<string, string?> { ["Storage:Provider"] = "PostgreSql", ["Storage:ConnectionString"] = args[1] }
    : new Dictionary<string, string?> { ["Storage:DataDirectory"] = mode == "crash" ? args[0] : args[1] };
var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
await using var services = new ServiceCollection().AddLogging().AddEventLogStorage(configuration).BuildServiceProvider();
var migrator = services.GetRequiredService<IStorageMigrator>();
var stdout = Console.Out;
if (mode == "append-postgres")
{
    var tasks = services.GetRequiredService<ITaskLogRepository>();
    var (taskId, writer, count) = (long.Parse(args[2], CultureInfo.InvariantCulture), args[3], int.Parse(args[4], CultureInfo.InvariantCulture));
    stdout.WriteLine("ready");
    stdout.Flush();
    await Console.In.ReadLineAsync();
    for (var i = 0; i < count; i++)
    {
        await tasks.AppendLinesAsync(taskId, [$"{writer} {i}"]);
    }

    stdout.WriteLine("done");
    stdout.Flush();
    return;
}

if (mode.StartsWith("migrate", StringComparison.Ordinal))
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
