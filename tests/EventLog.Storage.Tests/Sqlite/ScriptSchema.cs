using System.Text.RegularExpressions;

namespace EventLog.Storage.Tests.Sqlite;

/// <summary>
/// The tables and indexes a sequence of migration scripts leaves behind, read from the script text (no
/// SQL Server here to ask). Understands the statement shapes the scripts use, one statement per line.
/// </summary>
internal sealed partial class ScriptSchema
{
    public HashSet<string> Tables { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ScriptIndex> Indexes { get; } = new(StringComparer.Ordinal);

    public static ScriptSchema Replay(IEnumerable<MigrationScript> scripts)
    {
        var schema = new ScriptSchema();
        foreach (var script in scripts)
        {
            schema.Apply(script.Sql);
        }

        return schema;
    }

    public void Apply(string sql)
    {
        foreach (Match m in CreateTable().Matches(sql))
        {
            Tables.Add(m.Groups["table"].Value);
        }

        // Statements in text order, so a drop and a re-create of the same name end in the right state.
        var statements = CreateIndex().Matches(sql).Select(m => (m.Index, Create: true, Match: m))
            .Concat(DropIndex().Matches(sql).Select(m => (m.Index, Create: false, Match: m)))
            .OrderBy(s => s.Index);
        foreach (var (_, create, m) in statements)
        {
            var name = m.Groups["name"].Value;
            if (!create)
            {
                Assert.True(Indexes.Remove(name), $"DROP INDEX {name} drops an index that does not exist.");
                continue;
            }

            Assert.False(Indexes.ContainsKey(name), $"CREATE INDEX {name} creates an index that already exists.");
            Indexes[name] = Parse(m);
        }
    }

    public static ScriptIndex Parse(Match m) => new(
        m.Groups["name"].Value,
        m.Groups["table"].Value,
        m.Groups["unique"].Success,
        m.Groups["clustered"].Success,
        string.Join(", ", m.Groups["columns"].Value.Split(',', StringSplitOptions.TrimEntries)),
        m.Groups["where"].Success ? m.Groups["where"].Value.Trim() : null);

    public static IEnumerable<ScriptIndex> CreatedIndexes(string sql) => CreateIndex().Matches(sql).Select(Parse);

    [GeneratedRegex(@"^CREATE TABLE (?:dbo\.)?(?<table>\w+)", RegexOptions.Multiline)]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"^CREATE (?<unique>UNIQUE )?(?<clustered>CLUSTERED )?INDEX (?<name>\w+) ON (?:dbo\.)?(?<table>\w+) \((?<columns>[^)]*)\)(?: WHERE (?<where>[^;]*))?;", RegexOptions.Multiline)]
    private static partial Regex CreateIndex();

    [GeneratedRegex(@"^DROP INDEX (?:IF EXISTS )?(?<name>\w+)(?: ON (?:dbo\.)?(?<table>\w+))?;", RegexOptions.Multiline)]
    private static partial Regex DropIndex();
}
