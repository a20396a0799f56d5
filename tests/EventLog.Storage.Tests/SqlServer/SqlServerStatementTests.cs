using System.Reflection;
using System.Text.RegularExpressions;
using EventLog.Storage.SqlServer;
using Xunit.Abstractions;

namespace EventLog.Storage.Tests.SqlServer;

/// <summary>
/// No SQL Server runs here, so what it would be sent is parsed with ScriptDom (SQL Server 2022 grammar): every
/// migration batch, and every text the repositories, the change notifier, the migration runner, the probe and the
/// reapers send with the SQL Server dialect. The other tests show that nothing went unsent.
/// </summary>
public sealed partial class SqlServerStatementTests(SqlServerExerciseFixture fixture, ITestOutputHelper output)
    : IClassFixture<SqlServerExerciseFixture>
{
    private static readonly Assembly Storage = typeof(StorageDatabase).Assembly;

    [Fact]
    public void EverySqlServerText_Parses()
    {
        var batches = MigrationBatches();
        var migrations = batches.Select(TSqlText.Parse).ToList();
        var sent = fixture.Server.Texts.Where(t => !batches.Contains(t.Text)).ToList();
        var failed = migrations.Concat(sent).Where(t => t.Errors.Count > 0).ToList();
        foreach (var text in failed)
        {
            output.WriteLine(text.Describe());
        }

        output.WriteLine(
            $"ScriptDom parsed {migrations.Count + sent.Count} SQL Server statements ({migrations.Count} migration batches, {sent.Count} repository texts), {failed.Count} errors");
        Assert.True(failed.Count == 0, $"{failed.Count} SQL Server texts do not parse:{Environment.NewLine}{string.Join(Environment.NewLine + Environment.NewLine, failed.Select(t => t.Describe()))}");
        Assert.True(fixture.Failures.Count == 0, $"{fixture.Failures.Count} calls failed, so not every text was sent:{Environment.NewLine}{string.Join(Environment.NewLine, fixture.Failures)}");
    }

    [Fact]
    public void MigrationRunner_SentEveryBatch()
    {
        var sent = fixture.Server.Texts.Select(t => t.Text).ToHashSet();
        Assert.NotEmpty(MigrationBatches());
        Assert.All(MigrationBatches(), batch => Assert.Contains(batch, sent));
    }

    [Fact]
    public void EveryStorageInterfaceMethod_WasCalled()
    {
        var interfaces = Storage.GetExportedTypes().Where(t => t.IsInterface).ToList();
        Assert.Contains(typeof(ITaskLogRepository), interfaces);
        var called = fixture.Exercise.Called;
        var missed = interfaces.SelectMany(i => i.GetMethods()).Where(m => !called.Contains(m))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})");
        Assert.Empty(missed);
    }

    [Fact]
    public void EveryReaper_Ran()
    {
        var reapers = Storage.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IReaper).IsAssignableFrom(t)).Select(t => t.Name).Order();
        Assert.Equal(reapers, fixture.Exercise.ReapersRun.Select(t => t.Name).Order());
    }

    /// <summary>
    /// Statements are kept as constants beside the code that runs them; each must have been sent, filled in with
    /// the dialect's fragments. One missing means a branch the exercise does not reach (SQLite's and PostgreSQL's own are exempt).
    /// </summary>
    [Fact]
    public void EverySqlConstant_WasSent()
    {
        var constants = Storage.GetTypes()
            .Where(t => !OtherEngine(t.Name))
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && !OtherEngine(f.Name))
            .Select(f => (Name: $"{f.DeclaringType!.Name}.{f.Name}", Sql: (string)f.GetRawConstantValue()!))
            .Where(c => StatementStart().IsMatch(c.Sql))
            .ToList();
        Assert.Contains(constants, c => c.Name == "WriteContext.InsertIdempotency");
        var sent = fixture.Server.Texts.Select(t => Collapse(t.Text)).ToList();
        var missed = constants.Where(c => !sent.Exists(new Regex(Pattern(c.Sql)).IsMatch)).Select(c => c.Name);
        Assert.Empty(missed);
    }

    private static bool OtherEngine(string name) =>
        name.StartsWith("Sqlite", StringComparison.Ordinal) || name.StartsWith("PostgreSql", StringComparison.Ordinal);

    private static HashSet<string> MigrationBatches()
    {
        var dialect = SqlServerDialect.Instance;
        return MigrationRunner.LoadScripts(dialect.ScriptFolder).SelectMany(s => dialect.SplitScript(s.Sql)).ToHashSet(StringComparer.Ordinal);
    }

    private static string Collapse(string sql) => Whitespace().Replace(sql.Trim(), " ");

    // string.Format holes become "anything", together with the space around them: a hole may be filled with nothing.
    private static string Pattern(string constant) => FormatHole().Replace(Regex.Escape(Collapse(constant)), ".*");

    [GeneratedRegex(@"^\s*(SELECT|INSERT|UPDATE|DELETE|MERGE|WITH|IF|DECLARE|EXEC|CREATE|ALTER|DROP)\b")]
    private static partial Regex StatementStart();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"(\\ )?\\\{\d+}(\\ )?")]
    private static partial Regex FormatHole();
}
