using Dapper;
using EventLog.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace EventLog.Storage.Tests.Sqlite;

/// <summary>The writer's statement cache: commands come back prepared, clean, and Dapper works through it unchanged.</summary>
public sealed class StatementCachingConnectionTests : IDisposable
{
    private readonly StatementCachingConnection _connection;

    public StatementCachingConnectionTests()
    {
        var inner = new SqliteConnection("Data Source=:memory:");
        inner.Open();
        _connection = new StatementCachingConnection(inner);
        _connection.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
    }

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void Return_ThenRent_SameSql_GivesTheSameCommandWithoutParametersOrTransaction()
    {
        using var tx = (SqliteTransaction)_connection.BeginTransaction();
        var first = _connection.Rent("INSERT INTO t (name) VALUES (@name)");
        first.Transaction = tx;
        first.Parameters.AddWithValue("@name", "a");
        first.ExecuteNonQuery();
        _connection.Return(first);

        var second = _connection.Rent("INSERT INTO t (name) VALUES (@name)");
        var other = _connection.Rent("SELECT count(*) FROM t");

        Assert.Same(first, second);
        Assert.Empty(second.Parameters);
        Assert.Null(second.Transaction);
        Assert.NotSame(second, other);
    }

    [Fact]
    public async Task Dapper_ThroughTheCache_BindsParametersAndTransactionsEveryTime()
    {
        await using (var tx = await _connection.BeginTransactionAsync())
        {
            for (var i = 0; i < 50; i++)
            {
                var id = await _connection.ExecuteScalarAsync<long>(new CommandDefinition("INSERT INTO t (name) VALUES (@name) RETURNING id", new { name = $"n{i}" }, tx));
                Assert.Equal(i + 1, id);
            }

            await tx.RollbackAsync();
        }

        Assert.Equal(0, await _connection.ExecuteScalarAsync<long>("SELECT count(*) FROM t"));
        await _connection.ExecuteAsync("INSERT INTO t (name) VALUES (@name)", new[] { new { name = "x" }, new { name = "y" } });
        Assert.Equal(["x", "y"], (await _connection.QueryAsync<string>("SELECT name FROM t WHERE name IN @names ORDER BY name", new { names = new[] { "x", "y" } })).ToArray());
    }
}
