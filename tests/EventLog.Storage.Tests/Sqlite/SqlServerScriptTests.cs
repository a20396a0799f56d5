using EventLog.Storage.SqlServer;


namespace EventLog.Storage.Tests.Sqlite;

/// <summary>No SQL Server here: at least check the SQL Server scripts and dialect text for SQLite-only syntax.</summary>
public sealed class SqlServerScriptTests
{
    [Fact]
    public void Scripts_BothDialects_HaveTheSameVersions()
    {
        Assert.Equal(
            MigrationRunner.LoadScripts("Sqlite").Select(s => s.Version),
            MigrationRunner.LoadScripts("SqlServer").Select(s => s.Version));
    }

    [Fact]
    public void SqlServerScript_UsesSqlServerTypesOnly()
    {
        var script = string.Join("\n", MigrationRunner.LoadScripts("SqlServer").Select(s => s.Sql));
        foreach (var forbidden in new[] { "WITHOUT ROWID", "AUTOINCREMENT", " TEXT ", " INTEGER ", " BLOB ", "datetime ", "varchar(max) NOT NULL PRIMARY" })
        {
            Assert.DoesNotContain(forbidden, script, StringComparison.Ordinal);
        }

        Assert.Contains("varbinary(max)", script, StringComparison.Ordinal);
        Assert.Contains("datetime2(7)", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Scripts_BothDialects_EndWithTheSameTablesAndIndexes()
    {
        // Counting CREATE statements stopped working once a SQL Server-only script rebuilt indexes, so
        // compare the objects that exist after every script ran.
        var sqlServer = ScriptSchema.Replay(MigrationRunner.LoadScripts("SqlServer"));
        var sqlite = ScriptSchema.Replay(MigrationRunner.LoadScripts("Sqlite"));
        Assert.Equal(sqlite.Tables.Order(), sqlServer.Tables.Order());
        Assert.Equal(sqlite.Indexes.Keys.Order(), sqlServer.Indexes.Keys.Order());
        foreach (var (name, index) in sqlite.Indexes)
        {
            Assert.Equal(Comparable(index), Comparable(sqlServer.Indexes[name]));
        }

        // Clustering is SQL Server's only; an index ending in id is unique whether declared so or not (id is the key).
        static object Comparable(ScriptIndex i) => (i.Table, i.Unique || i.Columns.EndsWith(", id", StringComparison.Ordinal), i.Columns, i.Where);
    }

    [Fact]
    public void SqlServerDialect_PagingLockingAndBatchDelete()
    {
        var d = SqlServerDialect.Instance;
        Assert.Equal("TOP (@limit)", d.Top);
        Assert.Equal("", d.Limit);
        Assert.Equal("DELETE TOP (@batch) FROM messages WHERE expires_at < @now;", d.DeleteBatch("messages", "expires_at < @now"));
        Assert.Contains("OUTPUT INSERTED.id", d.InsertReturningId("t", "a", "@a"));
        Assert.Contains("UPDLOCK", d.AllocateSequence);
        Assert.Equal(2, d.SplitScript("CREATE TABLE a (x int);\nGO\nCREATE TABLE b (y int);\n").Count);
        Assert.Equal("target_uri LIKE @targetLike ESCAPE '\\'", d.StartsWith("target_uri", "target"));
        // The reaper's counters come from the rows its own DELETE removed, not from a second read.
        Assert.Contains("OUTPUT DELETED.log_id", d.ReapGuestLogChunks, StringComparison.Ordinal);
        foreach (var sqliteOnly in new[] { "LIMIT", "changes()", "MAX(first_available_line," })
        {
            Assert.DoesNotContain(sqliteOnly, d.ReapGuestLogChunks, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(60)]
    [InlineData(61)]
    [InlineData(300)]
    [InlineData(3600)]
    public void MigrationLock_GivesUpClearlyBeforeTheCommandTimesOut(int commandTimeoutSeconds)
    {
        var lockMs = MigrationRunner.AppLockTimeoutMilliseconds(commandTimeoutSeconds);
        Assert.InRange(lockMs, 1000, (commandTimeoutSeconds - 10) * 1000);
    }

    [Theory]
    [InlineData(1205, true)]
    [InlineData(1222, true)]
    [InlineData(1204, true)]
    [InlineData(3960, true)]
    [InlineData(2627, false)]
    [InlineData(547, false)]
    public void SqlServerDialect_RetriesOnlyTransientErrors(int number, bool transient)
    {
        Assert.Equal(transient, SqlServerDialect.IsTransientErrorNumber(number));
    }
}
