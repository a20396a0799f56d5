using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace EventLog.Storage.Core;

/// <summary>
/// One write transaction: its connection, the streams it touched, and helpers run inside it. When the write is traced,
/// <paramref name="statements"/> receives the summary of every statement it runs (<see cref="StatementSummary"/>).
/// </summary>
internal sealed class WriteContext(DbConnection connection, DbTransaction transaction, ISqlDialect dialect, int commandTimeout, List<string>? statements, CancellationToken cancellationToken)
{
    private const string SelectIdempotencyTemplate = """
        SELECT result_json FROM idempotency_keys {0} WHERE scope = @scope AND request_id = @requestId
        """;

    private const string InsertIdempotency = """
        INSERT INTO idempotency_keys (scope, request_id, result_json, created_at)
        VALUES (@scope, @requestId, @resultJson, @createdAt)
        """;

    // Stream key -> its last sequence after this write (0 when only touched): waiters woken after the commit
    // use it instead of reading the position back.
    private readonly Dictionary<string, long> _touched = new(StringComparer.Ordinal);

    public DbConnection Connection => connection;
    public DbTransaction Transaction => transaction;
    public ISqlDialect Dialect => dialect;
    public CancellationToken CancellationToken => cancellationToken;
    public int CommandTimeout => commandTimeout;
    public IReadOnlyDictionary<string, long> TouchedStreams => _touched;

    public CommandDefinition Command(string sql, object? parameters = null)
    {
        statements?.Add(StatementSummary.Of(sql));
        return new(sql, parameters, transaction, commandTimeout, cancellationToken: cancellationToken);
    }

    public Task<int> ExecuteAsync(string sql, object? parameters = null) => connection.ExecuteAsync(Command(sql, parameters));

    public Task<T> ScalarAsync<T>(string sql, object? parameters = null) => connection.ExecuteScalarAsync<T>(Command(sql, parameters))!;

    public Task<T?> SingleOrDefaultAsync<T>(string sql, object? parameters = null) => connection.QuerySingleOrDefaultAsync<T>(Command(sql, parameters));

    public async Task<List<T>> QueryAsync<T>(string sql, object? parameters = null) => (await connection.QueryAsync<T>(Command(sql, parameters))).AsList();

    public DbCommand CreateCommand(string sql)
    {
        statements?.Add(StatementSummary.Of(sql));
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = commandTimeout;
        return command;
    }

    /// <summary>
    /// Reserves <paramref name="count"/> sequence numbers of a stream under its row lock and returns the
    /// first. The lock is held to commit, so numbers are gap-free and ordered by commit.
    /// </summary>
    public async Task<long> AllocateAsync(string streamKey, int count = 1)
    {
        var last = await connection.ExecuteScalarAsync<long>(Command(dialect.AllocateSequence, new { key = streamKey, count }));
        _touched[streamKey] = last;
        return last - count + 1;
    }

    /// <summary>
    /// Records a change of a stream that adds no row (its touch count grows; no sequence is allocated, so
    /// sequences stay gap-free). Waiters in this process wake after commit, those elsewhere at their next poll.
    /// </summary>
    public async Task TouchAsync(string streamKey)
    {
        await connection.ExecuteAsync(Command(dialect.TouchStream, new { key = streamKey }));
        _touched.TryAdd(streamKey, 0);
    }

    /// <summary>The stored result of an already applied write, or default when the key is new or absent.</summary>
    public async Task<T?> FindIdempotentAsync<T>(string scope, string? requestId)
    {
        if (string.IsNullOrEmpty(requestId))
        {
            return default;
        }

        var sql = string.Format(System.Globalization.CultureInfo.InvariantCulture, SelectIdempotencyTemplate, dialect.LockKeyRange);
        var json = await SingleOrDefaultAsync<string>(sql, new { scope, requestId });
        return json is null ? default : JsonSerializer.Deserialize<T>(json, StorageJson.Options);
    }

    public async Task SaveIdempotentAsync<T>(string scope, string? requestId, T result, DateTime now)
    {
        if (string.IsNullOrEmpty(requestId))
        {
            return;
        }

        var resultJson = JsonSerializer.Serialize(result, StorageJson.Options);
        await ExecuteAsync(InsertIdempotency, new { scope, requestId, resultJson, createdAt = now });
    }
}
