using EventLog.Storage.SqlServer;
using EventLog.Storage.Sqlite;


namespace EventLog.Storage.Tests.Internal;

/// <summary>Spans name statements by kind and table, taken from the dialects' real SQL.</summary>
public sealed class StatementSummaryTests
{
    [Fact]
    public void SqliteStatements_AreSummarisedByWhatTheyWrite()
    {
        Assert.Equal("INSERT streams", StatementSummary.Of(SqliteDialect.Instance.AllocateSequence));
        Assert.Equal("INSERT streams", StatementSummary.Of(SqliteDialect.Instance.TouchStream));
        Assert.Equal("DELETE messages", StatementSummary.Of(SqliteDialect.Instance.DeleteBatch("messages", "expires_at < @now")));
        Assert.Equal("INSERT guest_logs", StatementSummary.Of(SqliteDialect.Instance.Upsert("guest_logs", ["id"], ["project"], ["status"])));
    }

    [Fact]
    public void SqlServerBatches_AreSummarisedByTheirFirstWrite_NotByTheirDeclarationsOrChecks()
    {
        Assert.Equal("INSERT dbo.streams", StatementSummary.Of(SqlServerDialect.Instance.AllocateSequence));
        Assert.Equal("DELETE messages", StatementSummary.Of(SqlServerDialect.Instance.DeleteBatch("messages", "expires_at < @now")));
        Assert.Equal("UPDATE guest_logs", StatementSummary.Of(SqlServerDialect.Instance.Upsert("guest_logs", ["id"], ["project"], ["status"])));
        Assert.Equal("INSERT guest_logs", StatementSummary.Of(SqlServerDialect.Instance.Upsert("guest_logs", ["id"], ["project"], [])));
    }

    [Theory]
    [InlineData("SELECT result_json FROM idempotency_keys WHERE scope = @scope", "SELECT idempotency_keys")]
    [InlineData("update tasks set state = @state where id = @id", "UPDATE tasks")]
    [InlineData("  \n  PRAGMA optimize;", "PRAGMA")]
    [InlineData("", "")]
    public void Statement_IsSummarisedWithoutItsValues(string sql, string summary) => Assert.Equal(summary, StatementSummary.Summarize(sql));
}
