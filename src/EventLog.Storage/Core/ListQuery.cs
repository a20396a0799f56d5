using System.Text;
using Dapper;

namespace EventLog.Storage.Core;

/// <summary>
/// The filter and keyset part of a list query, from allow-listed SQL fragments; values are always parameters.
/// The repository method writes the SELECT itself around <see cref="WhereClause"/> and <see cref="IndexHint"/>.
/// The keyset predicate is written so the (…, time, id) index is seeked: time &lt;= @t narrows the range.
/// </summary>
/// The sort key is a UTC time (stored in the token as ticks) unless <c>numericKey</c> is set.
internal sealed class ListQuery(ISqlDialect dialect, string timeColumn, string idColumn, bool numericKey = false)
{
    private readonly List<string> _where = [];
    private readonly List<object?> _filterParts = [];

    public DynamicParameters Parameters { get; } = new();

    /// <summary>The index the newest-first walk must use (see <see cref="ISqlDialect.IndexHint"/>); null lets the planner choose.</summary>
    public string? Index { get; set; }

    /// <summary>
    /// Adds <paramref name="clause"/> when <paramref name="value"/> is set; the value joins the token hash.
    /// A <paramref name="residual"/> filter is applied to the rows the sort-order index walk yields instead of
    /// being used to pick an index (see <see cref="ISqlDialect.Residual"/>): set it when no index has this
    /// filter's column ahead of the sort key in this query's shape.
    /// </summary>
    public ListQuery Where<T>(string clause, string name, T? value, bool residual = false)
    {
        _filterParts.Add(name);
        _filterParts.Add(value);
        if (value is not null && (value is not string s || s.Length > 0))
        {
            _where.Add(residual ? dialect.Residual(clause) : clause);
            Parameters.Add(name, value);
        }

        return this;
    }

    /// <summary>Adds a "starts with" filter; always residual, since a range on the column cannot give the list's order.</summary>
    public ListQuery StartsWith(string column, string name, string? prefix)
    {
        _filterParts.Add(name);
        _filterParts.Add(prefix);
        if (!string.IsNullOrEmpty(prefix))
        {
            var end = UpperBound(prefix);
            _where.Add(dialect.Residual(dialect.StartsWith(column, name, end is not null)));
            Parameters.Add(name, prefix);
            Parameters.Add(name + "End", end);
            Parameters.Add(name + "Like", prefix.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_").Replace("[", "\\[") + "%");
        }

        return this;
    }

    /// <summary>
    /// The least string above every string that starts with <paramref name="prefix"/>, in code point order
    /// (SQLite's BINARY collation compares UTF-8 bytes, which is code point order): the prefix with its last
    /// code point incremented. <c>prefix + char.MaxValue</c> is not that bound: every character above U+FFFF
    /// (emoji) sorts after U+FFFF and fell outside the range. Null when the prefix is only U+10FFFF, where
    /// "&gt;= prefix" alone is exact.
    /// </summary>
    internal static string? UpperBound(string prefix)
    {
        var runes = prefix.EnumerateRunes().ToList();
        while (runes.Count > 0)
        {
            var last = runes[^1].Value;
            runes.RemoveAt(runes.Count - 1);
            if (last == 0x10FFFF)
            {
                continue;
            }

            // Surrogate code points cannot be stored; U+E000 follows U+D7FF in UTF-8 byte order.
            var next = last == 0xD7FF ? 0xE000 : last + 1;
            runes.Add(new Rune(next));
            return string.Concat(runes.Select(r => r.ToString()));
        }

        return null;
    }

    public string FilterHash => PageToken.HashFilters([.. _filterParts]);

    /// <summary>Adds the keyset continuation; returns the id string of the token for the caller to bind.</summary>
    public void After(string? pageToken, Func<string, object> parseId)
    {
        if (string.IsNullOrEmpty(pageToken))
        {
            return;
        }

        var (key, id) = PageToken.Parse(pageToken, FilterHash);
        object parsedId;
        object parsedKey;
        try
        {
            parsedId = parseId(id);
            parsedKey = numericKey ? key : new DateTime(key, DateTimeKind.Utc);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new InvalidPageTokenException("The page token is malformed.");
        }
        catch (FormatException)
        {
            throw new InvalidPageTokenException("The page token is malformed.");
        }

        _where.Add($"{timeColumn} <= @pageTime AND ({timeColumn} < @pageTime OR {idColumn} < @pageId)");
        Parameters.Add("pageTime", parsedKey);
        Parameters.Add("pageId", parsedId);
    }

    /// <summary>"WHERE" and the filters and keyset added so far, or "" when there are none.</summary>
    public string WhereClause => _where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", _where);

    /// <summary>The dialect's hint for <see cref="Index"/>, or "" when the planner chooses.</summary>
    public string IndexHint => Index is null ? "" : dialect.IndexHint(Index);

    /// <summary>
    /// The parameters with <c>@limit</c> (the dialect's <see cref="ISqlDialect.Top"/> / <see cref="ISqlDialect.Limit"/>)
    /// bound to <paramref name="rows"/>.
    /// </summary>
    public DynamicParameters Take(int rows)
    {
        Parameters.Add("limit", rows);
        return Parameters;
    }

    /// <summary>Trims the look-ahead row and issues the next token.</summary>
    public Page<T> ToPage<T>(List<T> rows, int pageSize, Func<T, DateTime> time, Func<T, string> id) =>
        ToPage(rows, pageSize, r => DbValues.Utc(time(r)).Ticks, id);

    public Page<T> ToPage<T>(List<T> rows, int pageSize, Func<T, long> key, Func<T, string> id)
    {
        if (rows.Count <= pageSize)
        {
            return new Page<T>(rows, null);
        }

        rows.RemoveRange(pageSize, rows.Count - pageSize);
        var last = rows[^1];
        return new Page<T>(rows, PageToken.Create(FilterHash, key(last), id(last)));
    }
}
