using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace EventLog.Storage.Tests.Sqlite;

/// <summary>
/// Two real processes migrate the same fresh SQLite file at the same moment (replicas starting together):
/// each script is applied once and the schema is whole. The in-process test of the contract suite shares
/// one process's SQLite library and thread pool; this one shares only the file.
/// </summary>
public sealed class MigrationProcessTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly SqliteFixture _fresh = new();
    private readonly SqliteFixture _reference = new();

    public Task InitializeAsync() => _reference.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _fresh.DisposeAsync();
        await _reference.DisposeAsync();
    }

    [Fact]
    public async Task Migrate_TwoProcessesAtTheSameMoment_ApplyEachScriptOnce_SchemaComplete()
    {
        var scripts = MigrationRunner.LoadScripts("Sqlite");
        var children = new[] { StartChild(), StartChild() };
        try
        {
            foreach (var child in children)
            {
                Assert.Equal("ready", await HelperProcess.ReadLineAsync(child, Timeout));
            }

            await HelperProcess.GoAsync(children, Timeout);
            var applied = new List<int>();
            foreach (var child in children)
            {
                var line = await HelperProcess.ReadLineAsync(child, Timeout);
                Assert.StartsWith("applied ", line, StringComparison.Ordinal);
                applied.Add(int.Parse(line["applied ".Length..], CultureInfo.InvariantCulture));
                await child.WaitForExitAsync().WaitAsync(Timeout);
                Assert.True(child.ExitCode == 0, $"Child failed: {await child.StandardError.ReadToEndAsync().WaitAsync(Timeout)}");
            }

            Assert.Equal(scripts.Count, applied.Sum());
        }
        finally
        {
            await HelperProcess.StopAllAsync(children, Timeout);
        }

        await using var migrated = await OpenAsync(_fresh.DataDirectory);
        await using var reference = await OpenAsync(_reference.DataDirectory);
        Assert.Equal(await SchemaAsync(reference), await SchemaAsync(migrated));
        Assert.Equal("ok", await migrated.ExecuteScalarAsync<string>("PRAGMA integrity_check").WaitAsync(Timeout));
        var versions = (await migrated.QueryAsync<(long Version, long Count)>(
            "SELECT version, COUNT(*) FROM schema_version GROUP BY version ORDER BY version").WaitAsync(Timeout)).ToList();
        Assert.Equal(scripts.Select(s => ((long)s.Version, 1L)), versions);
    }

    private Process StartChild() => HelperProcess.Start("migrate", _fresh.DataDirectory);

    private static async Task<SqliteConnection> OpenAsync(string directory)
    {
        var conn = new SqliteConnection($"Data Source={Path.Combine(directory, "eventlog.db")};Pooling=False");
        await conn.OpenAsync().WaitAsync(Timeout);
        return conn;
    }

    // Every table, index and its definition: a duplicate or a missing object shows as a difference.
    private static async Task<List<string>> SchemaAsync(SqliteConnection conn) =>
        (await conn.QueryAsync<string>(
            "SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").WaitAsync(Timeout)).ToList();
}
