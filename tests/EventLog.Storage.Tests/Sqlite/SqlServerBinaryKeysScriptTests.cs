using System.Text.RegularExpressions;

namespace EventLog.Storage.Tests.Sqlite;

/// <summary>
/// No SQL Server here, so check the text of 0003_binary_keys.sql: a collation change fails at deploy time
/// when any index or constraint still covers the column, so every one of them must be dropped first and
/// recreated as it was.
/// </summary>
public sealed class SqlServerBinaryKeysScriptTests
{
    private const string Binary = "COLLATE Latin1_General_100_BIN2";

    // Keys and tenant columns: everything that names a tenant, a stream, an idempotency key or a resource.
    private static readonly (string Table, string Column)[] KeyColumns =
    [
        ("streams", "stream_key"),
        ("idempotency_keys", "scope"), ("idempotency_keys", "request_id"),
        ("request_log", "project"), ("request_log", "request_id"),
        ("tasks", "project"), ("tasks", "target_uri"), ("tasks", "request_id"),
        ("messages", "project"), ("messages", "request_id"),
        ("prov_steps", "cluster_id"), ("prov_steps", "project"),
        ("prov_events", "cluster_id"), ("prov_events", "instance_id"),
        ("guest_logs", "instance_id"), ("guest_logs", "log_name"), ("guest_logs", "project"),
    ];

    private static readonly IReadOnlyList<MigrationScript> Scripts = MigrationRunner.LoadScripts("SqlServer");

    private static string Script => Scripts.Single(s => s.Name == "0003_binary_keys").Sql;

    [Fact]
    public void BinaryKeys_EveryKeyColumnGetsTheBinaryCollation_KeepingTypeAndNullability()
    {
        var initial = Scripts.Single(s => s.Version == 1).Sql;
        foreach (var (table, column) in KeyColumns)
        {
            var definition = Regex.Match(initial, $@"CREATE TABLE dbo\.{table} \((?<body>[^;]*)\);", RegexOptions.Singleline).Groups["body"].Value;
            var declared = Regex.Match(definition, $@"^\s*{column}\s+(?<type>nvarchar\(\d+\))\s+(?<null>NOT NULL|NULL)", RegexOptions.Multiline);
            Assert.True(declared.Success, $"{table}.{column} is not an nvarchar column of 0001.");
            var expected = $"ALTER TABLE dbo.{table} ALTER COLUMN {column} {declared.Groups["type"].Value} {Binary} {declared.Groups["null"].Value};";
            Assert.Contains(expected, Script, StringComparison.Ordinal);
        }

        Assert.Equal(KeyColumns.Length, Regex.Matches(Script, "ALTER COLUMN").Count);
    }

    [Fact]
    public void BinaryKeys_DropsEveryIndexOnAChangedColumnBeforeTheChange_AndRecreatesItAfter()
    {
        var before = ScriptSchema.Replay(Scripts.Where(s => s.Version < 3));
        var firstAlter = Script.IndexOf("ALTER COLUMN", StringComparison.Ordinal);
        var lastAlter = Script.LastIndexOf("ALTER COLUMN", StringComparison.Ordinal);
        var recreated = ScriptSchema.CreatedIndexes(Script[lastAlter..]).ToDictionary(i => i.Name);
        var affected = before.Indexes.Values.Where(i => KeyColumns.Any(k => k.Table == i.Table && i.Covers(k.Column))).ToList();
        Assert.NotEmpty(affected);
        Assert.DoesNotContain(affected, i => i.Name == "ix_messages_time");
        affected.Add(before.Indexes["ix_messages_time"]);
        foreach (var index in affected)
        {
            var drop = Script.IndexOf($"DROP INDEX {index.Name} ON dbo.{index.Table};", StringComparison.Ordinal);
            Assert.True(drop >= 0 && drop < firstAlter, $"{index.Name} is not dropped before the collation change.");
            Assert.True(recreated.TryGetValue(index.Name, out var again), $"{index.Name} is not recreated after the collation change.");
            var expected = index.Name == "ix_messages_time" ? index with { Clustered = true, Unique = true } : index;
            Assert.Equal(expected, again);
        }

        // Nothing else is created here: an index missing from the drop list would fail as a duplicate.
        Assert.Equal(affected.Select(i => i.Name).Order(), recreated.Keys.Order());
    }

    [Fact]
    public void BinaryKeys_RecreatesTheUnnamedStreamsPrimaryKey_AndDropsColumnStatistics()
    {
        var lastAlter = Script.LastIndexOf("ALTER COLUMN", StringComparison.Ordinal);
        Assert.Contains("FROM sys.key_constraints", Script, StringComparison.Ordinal);
        Assert.Contains("parent_object_id = OBJECT_ID(N'dbo.streams') AND type = 'PK'", Script, StringComparison.Ordinal);
        Assert.True(Script.IndexOf("DROP CONSTRAINT", StringComparison.Ordinal) < Script.IndexOf("ALTER COLUMN", StringComparison.Ordinal));
        Assert.True(Script.IndexOf("ALTER TABLE dbo.streams ADD CONSTRAINT pk_streams PRIMARY KEY CLUSTERED (stream_key);", StringComparison.Ordinal) > lastAlter);

        // The statistics list names the same columns as the ALTERs.
        var statistics = Regex.Matches(Script, @"\(N'(?<table>\w+)', N'(?<column>\w+)'\)").Select(m => (m.Groups["table"].Value, m.Groups["column"].Value));
        Assert.Equal(KeyColumns.Order(), statistics.Order());
        Assert.Contains("DROP STATISTICS", Script, StringComparison.Ordinal);
        Assert.Contains("WHERE s.auto_created = 1 OR s.user_created = 1", Script, StringComparison.Ordinal);
    }

    [Fact]
    public void BinaryKeys_MessagesIsNoLongerAHeap()
    {
        var after = ScriptSchema.Replay(Scripts);
        var clustered = after.Indexes.Values.Where(i => i.Table == "messages" && i.Clustered).ToList();
        Assert.Equal("created_at, id", Assert.Single(clustered).Columns);
        var clusteredAt = Script.IndexOf("CREATE UNIQUE CLUSTERED INDEX ix_messages_time", StringComparison.Ordinal);
        Assert.All(ScriptSchema.CreatedIndexes(Script).Where(i => i.Table == "messages" && !i.Clustered),
            i => Assert.True(Script.LastIndexOf($"INDEX {i.Name} ON", StringComparison.Ordinal) > clusteredAt, $"{i.Name} is built before the clustered index and would be rebuilt by it."));
    }

    [Fact]
    public void Scripts_LeaveTheTransactionToTheRunner()
    {
        // The runner applies every script and its schema_version row in one transaction; a COMMIT inside a
        // script would make a half-applied script permanent.
        foreach (var script in Scripts.Concat(MigrationRunner.LoadScripts("Sqlite")))
        {
            var code = Regex.Replace(script.Sql, "--.*$", "", RegexOptions.Multiline);
            Assert.DoesNotMatch(new Regex(@"\b(BEGIN\s+TRAN|COMMIT|ROLLBACK)", RegexOptions.IgnoreCase), code);
        }
    }
}
