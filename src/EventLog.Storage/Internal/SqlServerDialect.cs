using System.Text.RegularExpressions;
using Microsoft.Data.SqlClient;

namespace EventLog.Storage.Internal;

internal sealed partial class SqlServerDialect : ISqlDialect
{
    public static readonly SqlServerDialect Instance = new();

    public StorageProvider Provider => StorageProvider.SqlServer;
    public string ScriptFolder => "SqlServer";
    public string Top => "TOP (@limit)";
    public string Limit => "";
    public string LockRows => "WITH (UPDLOCK, ROWLOCK)";
    public string LockKeyRange => "WITH (UPDLOCK, HOLDLOCK)";
    public string UtcNow => "SYSUTCDATETIME()";

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
