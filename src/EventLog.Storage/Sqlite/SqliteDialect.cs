using EventLog.Storage.Core;

namespace EventLog.Storage.Sqlite;

internal sealed class SqliteDialect : ISqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public StorageProvider Provider => StorageProvider.Sqlite;
    public string ScriptFolder => "Sqlite";
    public string Top => "";
    public string Limit => "LIMIT @limit";
    public string LockRows => "";
    public string LockKeyRange => "";
    public string ForUpdate => "";
    public string True => "1";
    public string False => "0";
    public DateTime Stored(DateTime utc) => utc;

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

    // The single writer runs both statements with nothing in between, and the chunks they pick are fully
    // ordered (expiry, id; log, sequence), so the counters are adjusted by exactly the chunks then deleted.
    public string ReapGuestLogChunks => """
        WITH expired AS (
            SELECT log_id, seq FROM guest_log_chunks WHERE expires_at < @now ORDER BY expires_at, id LIMIT @batch
        ), cut AS (
            SELECT log_id, MAX(seq) AS seq FROM expired GROUP BY log_id
        ), doomed AS (
            SELECT c.id, c.log_id, c.first_line, c.line_count, c.byte_length
            FROM cut JOIN guest_log_chunks AS c ON c.log_id = cut.log_id AND c.seq <= cut.seq
            ORDER BY c.log_id, c.seq LIMIT @batch
        ), reaped AS (
            SELECT log_id, SUM(byte_length) AS bytes, MAX(first_line + line_count) AS end_line FROM doomed GROUP BY log_id
        )
        UPDATE guest_logs SET
            published_bytes = published_bytes - reaped.bytes,
            first_available_offset = first_available_offset + reaped.bytes,
            first_available_line = MAX(first_available_line, reaped.end_line)
        FROM reaped WHERE guest_logs.id = reaped.log_id;
        WITH expired AS (
            SELECT log_id, seq FROM guest_log_chunks WHERE expires_at < @now ORDER BY expires_at, id LIMIT @batch
        ), cut AS (
            SELECT log_id, MAX(seq) AS seq FROM expired GROUP BY log_id
        ), doomed AS (
            SELECT c.id FROM cut JOIN guest_log_chunks AS c ON c.log_id = cut.log_id AND c.seq <= cut.seq
            ORDER BY c.log_id, c.seq LIMIT @batch
        )
        DELETE FROM guest_log_chunks WHERE id IN (SELECT id FROM doomed);
        SELECT changes();
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
