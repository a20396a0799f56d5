namespace EventLog.Storage.Internal;

internal sealed class SqliteDialect : ISqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public StorageProvider Provider => StorageProvider.Sqlite;
    public string ScriptFolder => "Sqlite";
    public string Top => "";
    public string Limit => "LIMIT @limit";
    public string LockRows => "";
    public string LockKeyRange => "";
    public string UtcNow => "strftime('%Y-%m-%d %H:%M:%f', 'now')";

    // The single writer transaction (BEGIN IMMEDIATE) already holds the database write lock.
    public string AllocateSequence => """
        INSERT INTO streams (stream_key, last_seq) VALUES (@key, @count)
        ON CONFLICT (stream_key) DO UPDATE SET last_seq = last_seq + excluded.last_seq
        RETURNING last_seq;
        """;

    public string TouchStream => """
        INSERT INTO streams (stream_key, last_seq, touches) VALUES (@key, 0, 1)
        ON CONFLICT (stream_key) DO UPDATE SET touches = touches + 1;
        """;

    public string InsertReturningId(string table, string columns, string values) =>
        $"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING id;";

    public string DeleteBatch(string table, string where, string key = "rowid") =>
        $"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM {table} WHERE {where} LIMIT @batch);";

    public string Upsert(string table, IReadOnlyList<string> keys, IReadOnlyList<string> insertOnly, IReadOnlyList<string> updated)
    {
        var all = keys.Concat(insertOnly).Concat(updated).ToList();
        var set = updated.Count == 0
            ? "DO NOTHING"
            : "DO UPDATE SET " + string.Join(", ", updated.Select(c => $"{c} = excluded.{c}"));
        return $"INSERT INTO {table} ({string.Join(", ", all)}) VALUES ({string.Join(", ", all.Select(c => "@" + c))}) " +
               $"ON CONFLICT ({string.Join(", ", keys)}) {set};";
    }

    // BINARY collation: a half-open range uses the index and is case-sensitive; LIKE is neither
    // (ASCII case-insensitive unless case_sensitive_like is set).
    public string StartsWith(string column, string parameter, bool hasUpperBound = true) => hasUpperBound
        ? $"({column} >= @{parameter} AND {column} < @{parameter}End)"
        : $"{column} >= @{parameter}";

    // Unary + makes the term unusable by an index (the documented way to disqualify one); likely() tells the
    // planner the filter keeps most rows, so walking the sort-order index to the page size beats scan + sort.
    public string Residual(string predicate) => $"likely(+({predicate}))";

    public string IndexHint(string index) => $"INDEXED BY {index}";

    public IReadOnlyList<string> SplitScript(string script) => [script];

    public bool IsTransient(Exception exception) => false;
}
