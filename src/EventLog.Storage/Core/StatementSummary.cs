using System.Runtime.CompilerServices;

namespace EventLog.Storage.Core;

/// <summary>
/// What a statement does, without its parameters: its kind and the table it works on (<c>INSERT messages</c>,
/// <c>UPDATE streams</c>, <c>SELECT idempotency_keys</c>). Spans name a write's statements this way.
/// </summary>
internal static class StatementSummary
{
    // Keyed by the SQL string's identity: the repositories' SQL are constants, so each is summarised once. The
    // few built per call (a dialect's DELETE batch) are summarised again and their entries go with the string.
    private static readonly ConditionalWeakTable<string, string> Known = [];
    private static readonly ConditionalWeakTable<string, string>.CreateValueCallback Create = Summarize;

    public static string Of(string sql) => Known.GetValue(sql, Create);

    /// <summary>
    /// The first INSERT, UPDATE, DELETE or MERGE (else SELECT, else the first word) and the table it names: an
    /// upsert batch of SQL Server (<c>IF NOT EXISTS (SELECT ...) INSERT ...</c>) is summarised by what it writes.
    /// </summary>
    internal static string Summarize(string sql)
    {
        var words = sql.Split([' ', '\t', '\r', '\n', '(', ')', ';', ','], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return "";
        }
        var at = Array.FindIndex(words, w => Is(w, "INSERT") || Is(w, "UPDATE") || Is(w, "DELETE") || Is(w, "MERGE"));
        at = at >= 0 ? at : Array.FindIndex(words, w => Is(w, "SELECT"));
        if (at < 0)
        {
            return words[0].ToUpperInvariant();
        }
        var kind = words[at].ToUpperInvariant();
        var table = kind switch
        {
            "UPDATE" => at + 1,
            "INSERT" or "MERGE" => After(words, at, "INTO") is var into and > 0 ? into : at + 1,
            _ => After(words, at, "FROM"),
        };
        return table > 0 && table < words.Length ? $"{kind} {words[table]}" : kind;
    }

    /// <summary>The index of the word after the first <paramref name="keyword"/> past <paramref name="start"/>; -1 when none.</summary>
    private static int After(string[] words, int start, string keyword) =>
        Array.FindIndex(words, start + 1, w => Is(w, keyword)) is var i and >= 0 ? i + 1 : -1;

    private static bool Is(string word, string keyword) => word.Equals(keyword, StringComparison.OrdinalIgnoreCase);
}
