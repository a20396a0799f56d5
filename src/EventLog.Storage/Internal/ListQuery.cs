using Dapper;

namespace EventLog.Storage.Internal;

/// <summary>
/// Builds a newest-first keyset query from allow-listed SQL fragments; values are always parameters.
/// The keyset predicate is written so the (…, time, id) index is seeked: time &lt;= @t narrows the range.
/// </summary>
/// The sort key is a UTC time (stored in the token as ticks) unless <c>numericKey</c> is set.
internal sealed class ListQuery(ISqlDialect dialect, string timeColumn, string idColumn, bool numericKey = false)
{
    private readonly List<string> _where = [];
    private readonly List<object?> _filterParts = [];

    public DynamicParameters Parameters { get; } = new();

    /// <summary>Adds <paramref name="clause"/> when <paramref name="value"/> is set; the value joins the token hash.</summary>
    public ListQuery Where<T>(string clause, string name, T? value)
    {
        _filterParts.Add(name);
        _filterParts.Add(value);
        if (value is not null && (value is not string s || s.Length > 0))
        {
            _where.Add(clause);
            Parameters.Add(name, value);
        }

        return this;
    }

    public ListQuery StartsWith(string column, string name, string? prefix)
    {
        _filterParts.Add(name);
        _filterParts.Add(prefix);
        if (!string.IsNullOrEmpty(prefix))
        {
            _where.Add(dialect.StartsWith(column, name));
            Parameters.Add(name, prefix);
            Parameters.Add(name + "End", prefix + char.MaxValue);
            Parameters.Add(name + "Like", prefix.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_").Replace("[", "\\[") + "%");
        }

        return this;
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

    public string Build(string columns, string table, int pageSize)
    {
        Parameters.Add("limit", pageSize + 1);
        var where = _where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", _where);
        return $"SELECT {dialect.Top} {columns} FROM {table} {where} ORDER BY {timeColumn} DESC, {idColumn} DESC {dialect.Limit}";
    }

    /// <summary>Oldest first by id (cursor reads such as export); at most <paramref name="limit"/> rows.</summary>
    public string BuildAscendingById(string columns, string table, int limit)
    {
        Parameters.Add("limit", limit);
        var where = _where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", _where);
        return $"SELECT {dialect.Top} {columns} FROM {table} {where} ORDER BY {idColumn} {dialect.Limit}";
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
