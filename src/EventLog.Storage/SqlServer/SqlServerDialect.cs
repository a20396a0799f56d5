using System.Text.RegularExpressions;
using EventLog.Storage.Core;
using Microsoft.Data.SqlClient;

namespace EventLog.Storage.SqlServer;

internal sealed partial class SqlServerDialect : ISqlDialect
{
    public static readonly SqlServerDialect Instance = new();

    public StorageProvider Provider => StorageProvider.SqlServer;
    public string ScriptFolder => "SqlServer";
    public string Top => "TOP (@limit)";
    public string Limit => "";
    public string LockRows => "WITH (UPDLOCK, ROWLOCK)";
    public string LockKeyRange => "WITH (UPDLOCK, HOLDLOCK)";
    public string ForUpdate => "";
    public string True => "1";
    public string False => "0";
    public DateTime Stored(DateTime utc) => utc;

    // UPDLOCK+HOLDLOCK serialises creation of a missing stream row; the UPDATE then holds the
    // row's exclusive lock until commit, so a second writer waits and numbers after us.
    public string AllocateSequence => """
        DECLARE @last bigint;
        IF NOT EXISTS (SELECT 1 FROM dbo.streams WITH (UPDLOCK, HOLDLOCK) WHERE stream_key = @key)
            INSERT INTO dbo.streams (stream_key, last_seq) VALUES (@key, 0);
        UPDATE dbo.streams WITH (UPDLOCK, ROWLOCK) SET @last = last_seq = last_seq + @count WHERE stream_key = @key;
        SELECT @last;
        """;

    // Same locking as AllocateSequence, so a touch is ordered with the stream's allocations.
    public string TouchStream => """
        IF NOT EXISTS (SELECT 1 FROM dbo.streams WITH (UPDLOCK, HOLDLOCK) WHERE stream_key = @key)
            INSERT INTO dbo.streams (stream_key, last_seq) VALUES (@key, 0);
        UPDATE dbo.streams WITH (UPDLOCK, ROWLOCK) SET touches = touches + 1 WHERE stream_key = @key;
        """;

    // The DELETE records what it deleted itself (OUTPUT ... INTO), so a replica reaping at the same time, whose
    // choice of chunks may overlap, never makes a log lose a chunk twice: only one DELETE gets each row. A
    // DELETE through a CTE may name one table only, hence EXISTS rather than a join.
    public string ReapGuestLogChunks => """
        DECLARE @cut TABLE (log_id bigint NOT NULL PRIMARY KEY, seq bigint NOT NULL);
        DECLARE @reaped TABLE (log_id bigint NOT NULL, first_line bigint NOT NULL, line_count int NOT NULL, byte_length bigint NOT NULL);
        INSERT INTO @cut (log_id, seq)
        SELECT expired.log_id, MAX(expired.seq)
        FROM (
            SELECT TOP (@batch) log_id, seq FROM dbo.guest_log_chunks WHERE expires_at < @now ORDER BY expires_at, id
        ) AS expired
        GROUP BY expired.log_id;
        WITH doomed AS (
            SELECT TOP (@batch) c.log_id, c.first_line, c.line_count, c.byte_length
            FROM dbo.guest_log_chunks AS c
            WHERE EXISTS (SELECT 1 FROM @cut AS k WHERE k.log_id = c.log_id AND c.seq <= k.seq)
            ORDER BY c.log_id, c.seq
        )
        DELETE FROM doomed
        OUTPUT DELETED.log_id, DELETED.first_line, DELETED.line_count, DELETED.byte_length INTO @reaped (log_id, first_line, line_count, byte_length);
        UPDATE g SET
            published_bytes = g.published_bytes - r.bytes,
            first_available_offset = g.first_available_offset + r.bytes,
            first_available_line = CASE WHEN r.end_line > g.first_available_line THEN r.end_line ELSE g.first_available_line END
        FROM dbo.guest_logs AS g
        JOIN (
            SELECT log_id, SUM(byte_length) AS bytes, MAX(first_line + line_count) AS end_line FROM @reaped GROUP BY log_id
        ) AS r ON r.log_id = g.id;
        SELECT COUNT(*) FROM @reaped;
        """;

    public string InsertReturningId(string table, string columns, string values) =>
        $"INSERT INTO {table} ({columns}) OUTPUT INSERTED.id VALUES ({values});";

    public string DeleteBatch(string table, string where, string key = "rowid") =>
        $"DELETE TOP (@batch) FROM {table} WHERE {where};";

    public string Upsert(string table, IReadOnlyList<string> keys, IReadOnlyList<string> insertOnly, IReadOnlyList<string> updated)
    {
        var match = string.Join(" AND ", keys.Select(k => $"{k} = @{k}"));
        var all = keys.Concat(insertOnly).Concat(updated).ToList();
        var insert = $"INSERT INTO {table} ({string.Join(", ", all)}) VALUES ({string.Join(", ", all.Select(c => "@" + c))});";
        if (updated.Count == 0)
        {
            return $"IF NOT EXISTS (SELECT 1 FROM {table} WITH (UPDLOCK, HOLDLOCK) WHERE {match}) {insert}";
        }

        var set = string.Join(", ", updated.Select(c => $"{c} = @{c}"));
        return $"UPDATE {table} WITH (UPDLOCK, HOLDLOCK) SET {set} WHERE {match}; IF @@ROWCOUNT = 0 {insert}";
    }

    // LIKE with a constant prefix is sargable, and exact once the column has a binary collation (0003).
    public string StartsWith(string column, string parameter, bool hasUpperBound = true) =>
        $"{column} LIKE @{parameter}Like ESCAPE '\\'";

    public string Residual(string predicate) => predicate;

    public string IndexHint(string index) => "";

    public IReadOnlyList<string> SplitScript(string script) =>
        GoSeparator().Split(script).Where(b => !string.IsNullOrWhiteSpace(b)).ToList();

    public bool IsTransient(Exception exception) =>
        exception is SqlException e && IsTransientErrorNumber(e.Number);

    // Errors after which the whole transaction was rolled back and a rerun can succeed:
    // 1205 deadlock victim, 1222 lock request timeout, 1204 no lock resources left (lock memory
    // exhausted for the moment), 3960 snapshot update conflict (only under SNAPSHOT isolation).
    internal static bool IsTransientErrorNumber(int number) => number is 1205 or 1222 or 1204 or 3960;

    [GeneratedRegex(@"^\s*GO\s*;?\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex GoSeparator();
}
