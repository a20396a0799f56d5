using Microsoft.Data.Sqlite;

namespace EventLog.Storage.Tests.Infrastructure;

/// <summary>SQLite in a temp directory per test class.</summary>
public sealed class SqliteFixture : StorageFixture
{
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "eventlog-tests", Guid.NewGuid().ToString("N"));

    public override StorageProvider Provider => StorageProvider.Sqlite;

    protected override Dictionary<string, string?> Settings() => new()
    {
        ["Storage:Provider"] = "Sqlite",
        ["Storage:DataDirectory"] = DataDirectory,
    };

    protected override Task DropDatabaseAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }
}
