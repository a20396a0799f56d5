using System.Diagnostics;
using System.Globalization;
using Dapper;
using EventLog.Storage.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventLog.Storage.Tests.PostgreSql;

/// <summary>
/// Several real processes on one PostgreSQL database, as replicas are: writers of one stream in different processes
/// number their rows gap-free in commit order, and replicas that start together migrate each script once.
/// </summary>
public sealed class PostgreSqlProcessTests(PostgreSqlFixture fixture) : ContractTestBase<PostgreSqlFixture>(fixture)
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task Append_WritersInThreeProcesses_LinesGapFreeInCommitOrder_FollowerWokenByNotify()
    {
        const int Writers = 3, PerWriter = 300, Total = Writers * PerWriter;
        // No poll within the test: the follower in this process only learns of the children's commits by NOTIFY.
        await using var services = Fixture.BuildServices(o => o.ChangePollInterval = TimeSpan.FromMinutes(5));
        var repo = services.GetRequiredService<ITaskLogRepository>();
        var notifier = services.GetRequiredService<IChangeNotifier>();
        await ((PostgreSqlStorageDatabase)services.GetRequiredService<StorageDatabase>()).Listener!.Listening.WaitAsync(Timeout);
        var task = await repo.StartTaskAsync(new StartTaskRequest { Project = Unique("p"), App = "app", TargetUri = "/t" }).WaitAsync(Timeout);
        using var cts = new CancellationTokenSource(ProcessTimeout);

        var follower = Task.Run(() => LineFollower.FollowAsync(repo, notifier, task.Id, Total, cts.Token));

        var children = Enumerable.Range(0, Writers)
            .Select(w => HelperProcess.Start("append-postgres", Fixture.DatabaseConnectionString, task.Id.ToString(CultureInfo.InvariantCulture), $"w{w}", PerWriter.ToString(CultureInfo.InvariantCulture)))
            .ToList();
        try
        {
            foreach (var child in children)
            {
                Assert.Equal("ready", await HelperProcess.ReadLineAsync(child, ProcessTimeout));
            }

            await HelperProcess.GoAsync(children, Timeout);
            foreach (var child in children)
            {
                Assert.Equal("done", await HelperProcess.ReadLineAsync(child, ProcessTimeout));
            }
        }
        finally
        {
            await HelperProcess.StopAllAsync(children, ProcessTimeout);
        }

        var lines = await follower.WaitAsync(ProcessTimeout);
        // The follower read after the last number it saw each time: a number that became visible after a higher
        // one (committed out of order) would be missing here.
        Assert.Equal(Enumerable.Range(1, Total).Select(n => (long)n), lines.Select(l => l.LineNo));
        // Each writer appended in order and waited for each commit: its lines are numbered in that order.
        foreach (var writer in lines.GroupBy(l => l.Text.Split(' ')[0]))
        {
            Assert.Equal(Enumerable.Range(0, PerWriter), writer.Select(l => int.Parse(l.Text.Split(' ')[1], CultureInfo.InvariantCulture)));
        }

        Assert.Equal(Writers, lines.Select(l => l.Text.Split(' ')[0]).Distinct().Count());
        Assert.Equal(Total, await notifier.GetLastSequenceAsync(StreamKeys.TaskLines(task.Id)).WaitAsync(Timeout));
    }

    [SkippableFact]
    public async Task Migrate_TwoProcessesAtTheSameMoment_ApplyEachScriptOnce_SchemaComplete()
    {
        var scripts = MigrationRunner.LoadScripts("PostgreSql");
        var fresh = new PostgreSqlFixture();
        try
        {
            await fresh.CreateEmptyDatabaseAsync().WaitAsync(ProcessTimeout);
            var children = new[] { Start(fresh), Start(fresh) };
            var applied = new List<int>();
            try
            {
                foreach (var child in children)
                {
                    Assert.Equal("ready", await HelperProcess.ReadLineAsync(child, ProcessTimeout));
                }

                await HelperProcess.GoAsync(children, Timeout);
                foreach (var child in children)
                {
                    var line = await HelperProcess.ReadLineAsync(child, ProcessTimeout);
                    Assert.StartsWith("applied ", line, StringComparison.Ordinal);
                    applied.Add(int.Parse(line["applied ".Length..], CultureInfo.InvariantCulture));
                }
            }
            finally
            {
                await HelperProcess.StopAllAsync(children, ProcessTimeout);
            }

            Assert.Equal(scripts.Count, applied.Sum());
            Assert.Contains(0, applied);
            await using var migrated = new NpgsqlConnection(fresh.DatabaseConnectionString);
            await using var reference = new NpgsqlConnection(Fixture.DatabaseConnectionString);
            Assert.Equal(await SchemaAsync(reference), await SchemaAsync(migrated));
            var versions = (await migrated.QueryAsync<(int Version, long Count)>(
                "SELECT version, COUNT(*) FROM schema_version GROUP BY version ORDER BY version").WaitAsync(Timeout)).ToList();
            Assert.Equal(scripts.Select(s => (s.Version, 1L)), versions);
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }

    private static Process Start(PostgreSqlFixture database) => HelperProcess.Start("migrate-postgres", database.DatabaseConnectionString);

    // Every column and index with its definition: a duplicate or a missing object shows as a difference.
    private static async Task<List<string>> SchemaAsync(NpgsqlConnection conn)
    {
        const string Columns = """
            SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || COALESCE(collation_name, '') || ' '
                || is_nullable || ' ' || COALESCE(column_default, '')
            FROM information_schema.columns WHERE table_schema = current_schema()
            """;
        const string Indexes = "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()";
        var schema = (await conn.QueryAsync<string>(Columns).WaitAsync(Timeout)).Concat(await conn.QueryAsync<string>(Indexes).WaitAsync(Timeout)).ToList();
        schema.Sort(StringComparer.Ordinal);
        return schema;
    }
}
