using EventLog.Storage.Core;
using EventLog.Storage.Sqlite;
using Npgsql;

namespace EventLog.Storage.PostgreSql;

internal sealed class PostgreSqlDialect : ISqlDialect
{
    public static readonly PostgreSqlDialect Instance = new();

    public StorageProvider Provider => StorageProvider.PostgreSql;
    public string ScriptFolder => "PostgreSql";
    public string Top => "";
    public string Limit => "LIMIT @limit";

    // Rows are locked by FOR UPDATE at the end of the SELECT. There are no key-range locks: an insert-if-absent
    // race ends in a unique violation on the key's index, which IsTransient retries, and the rerun finds the row.
    public string LockRows => "";
    public string LockKeyRange => "";
    public string ForUpdate => "FOR UPDATE";
    public string True => "TRUE";
    public string False => "FALSE";

    public DateTime Stored(DateTime utc) => new(utc.Ticks - (utc.Ticks % (TimeSpan.TicksPerMillisecond / 1000)), DateTimeKind.Utc);

    // ON CONFLICT DO UPDATE takes the stream row's lock and holds it to commit; a second writer of the stream
    // waits for that commit and then adds to the committed value, so numbers are gap-free and in commit order.
    public string AllocateSequence => """
        INSERT INTO streams (stream_key, last_seq) VALUES (@key, @count)
        ON CONFLICT (stream_key) DO UPDATE SET last_seq = streams.last_seq + excluded.last_seq
        RETURNING last_seq;
        """;

    public string TouchStream => """
        INSERT INTO streams (stream_key, last_seq, touches) VALUES (@key, 0, 1)
        ON CONFLICT (stream_key) DO UPDATE SET touches = streams.touches + 1;
        """;

    // The counters are adjusted by what the DELETE returns, the rows it deleted itself: a replica reaping at the
    // same time, whose choice may overlap, deletes each chunk once, so no log loses a chunk twice.
    public string ReapGuestLogChunks => """
        WITH expired AS (
            SELECT log_id, seq FROM guest_log_chunks WHERE expires_at < @now ORDER BY expires_at, id LIMIT @batch
        ), cut AS (
            SELECT log_id, MAX(seq) AS seq FROM expired GROUP BY log_id
        ), doomed AS (
            SELECT c.id FROM cut JOIN guest_log_chunks AS c ON c.log_id = cut.log_id AND c.seq <= cut.seq
            ORDER BY c.log_id, c.seq LIMIT @batch
        ), reaped AS (
            DELETE FROM guest_log_chunks AS c USING doomed WHERE c.id = doomed.id
            RETURNING c.log_id, c.first_line, c.line_count, c.byte_length
        ), counted AS (
            UPDATE guest_logs AS g SET
                published_bytes = g.published_bytes - r.bytes,
                first_available_offset = g.first_available_offset + r.bytes,
                first_available_line = GREATEST(g.first_available_line, r.end_line)
            FROM (
                SELECT log_id, SUM(byte_length)::bigint AS bytes, MAX(first_line + line_count) AS end_line FROM reaped GROUP BY log_id
            ) AS r
            WHERE g.id = r.log_id
        )
        SELECT COUNT(*)::int FROM reaped;
        """;

    // RETURNING, as on SQLite.
    public string InsertReturningId(string table, string columns, string values) =>
        SqliteDialect.Instance.InsertReturningId(table, columns, values);

    // Every table deleted in batches has a unique id column; "rowid" names it here.
    public string DeleteBatch(string table, string where, string key = "rowid")
    {
        var column = key == "rowid" ? "id" : key;
        return $"DELETE FROM {table} WHERE {column} IN (SELECT {column} FROM {table} WHERE {where} LIMIT @batch);";
    }

    // The same INSERT ... ON CONFLICT form as SQLite's.
    public string Upsert(string table, IReadOnlyList<string> keys, IReadOnlyList<string> insertOnly, IReadOnlyList<string> updated) =>
        SqliteDialect.Instance.Upsert(table, keys, insertOnly, updated);

    // Key and tenant columns use the "C" collation (0003), which orders by code point: the half-open range
    // SQLite uses is exact and can use the index.
    public string StartsWith(string column, string parameter, bool hasUpperBound = true) =>
        SqliteDialect.Instance.StartsWith(column, parameter, hasUpperBound);

    public string Residual(string predicate) => predicate;

    public string IndexHint(string index) => "";

    public IReadOnlyList<string> SplitScript(string script) => [script];

    public bool IsTransient(Exception exception) =>
        exception is PostgresException e && IsTransientSqlState(e.SqlState);

    // 40001 serialization failure and 40P01 deadlock victim roll the transaction back; 23505 unique violation is
    // how an insert-if-absent race ends (see LockKeyRange). A rerun can succeed after each.
    internal static bool IsTransientSqlState(string sqlState) =>
        sqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.UniqueViolation;
}
