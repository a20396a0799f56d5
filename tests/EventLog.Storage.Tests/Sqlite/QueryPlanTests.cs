using Dapper;
using EventLog.Storage.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace EventLog.Storage.Tests.Sqlite;

/// <summary>Every list query is answered from an index that matches its filter and sort (no table scan, no temp sort).</summary>
public sealed class QueryPlanTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    [Theory]
    [InlineData("request_log", "project = 'p'", "occurred_at")]
    [InlineData("request_log", "project = 'p' AND app = 'a'", "occurred_at")]
    [InlineData("request_log", "project = 'p' AND status = 1", "occurred_at")]
    [InlineData("request_log", "project = 'p' AND user_name = 'u'", "occurred_at")]
    [InlineData("request_log", "project = 'p' AND client_ip = 'i'", "occurred_at")]
    [InlineData("request_log", "project = 'p' AND kind = 'GET'", "occurred_at")]
    [InlineData("request_log", "task_id = 1", "occurred_at")]
    [InlineData("request_log", "1 = 1", "occurred_at")]
    [InlineData("tasks", "project = 'p' AND state = 2", "created_at")]
    [InlineData("tasks", "project = 'p' AND app = 'a'", "created_at")]
    [InlineData("tasks", "project = 'p' AND (target_uri >= '/a' AND target_uri < '/b')", "created_at")]
    [InlineData("messages", "project = 'p'", "created_at")]
    [InlineData("messages", "project = 'p' AND resource_type = 'V'", "created_at")]
    [InlineData("messages", "project = 'p' AND resource_uuid = 'u'", "created_at")]
    [InlineData("messages", "project = 'p' AND action_code = 'a'", "created_at")]
    [InlineData("messages", "project = 'p' AND detail_code = 'd'", "created_at")]
    [InlineData("messages", "project = 'p' AND level = 3", "created_at")]
    [InlineData("messages", "project = 'p' AND request_id = 'r'", "created_at")]
    public async Task ListQuery_UsesIndexForFilterAndSort(string table, string where, string timeColumn)
    {
        await using var conn = new SqliteConnection($"Data Source={Path.Combine(fixture.DataDirectory, "eventlog.db")}");
        await conn.OpenAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var sql = $"EXPLAIN QUERY PLAN SELECT * FROM {table} WHERE {where} AND {timeColumn} <= '2030' AND ({timeColumn} < '2030' OR id < 5) ORDER BY {timeColumn} DESC, id DESC LIMIT 50";
        var plan = string.Join(" | ", (await conn.QueryAsync<(long, long, long, string)>(sql).WaitAsync(TimeSpan.FromSeconds(30))).Select(r => r.Item4));
        Assert.Contains("USING INDEX", plan);
        Assert.DoesNotContain("TEMP B-TREE", plan);
    }
}
