using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Reflection;

namespace EventLog.Storage.Tests.SqlServer;

/// <summary>
/// Stands in for SQL Server: keeps every distinct SQL text sent to it, parsed by ScriptDom, and answers a query
/// with copies of its table's sample row (as many as <c>@limit</c> asks for, else one) shaped like the query's
/// select list, so the repositories take the paths that need a row. A statement changes nothing and affects
/// no rows, so every "repeat until the batch is used up" loop runs its last step too.
/// </summary>
internal sealed class RecordingSqlServer
{
    private readonly Dictionary<string, TSqlText> _parsed = new(StringComparer.Ordinal);
    private readonly List<TSqlText> _texts = [];
    private readonly Dictionary<string, object> _rows = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every distinct text sent, in the order first sent.</summary>
    public IReadOnlyList<TSqlText> Texts
    {
        get
        {
            lock (_texts)
            {
                return [.. _texts];
            }
        }
    }

    /// <summary>
    /// Sets what a query reading <paramref name="table"/> returns: a record whose properties are the table's
    /// columns (snake_case column, PascalCase property), or null for no rows.
    /// </summary>
    public void SetRow(string table, object? row)
    {
        if (row is null)
        {
            _rows.Remove(table);
        }
        else
        {
            _rows[table] = row;
        }
    }

    public DbConnection CreateConnection() => new RecordingConnection(this);

    /// <summary>Records <paramref name="sql"/> and returns its first result set; null when it returns none.</summary>
    public DataTable? Run(string sql, DbParameterCollection parameters)
    {
        TSqlText? parsed;
        lock (_texts)
        {
            if (!_parsed.TryGetValue(sql, out parsed))
            {
                parsed = TSqlText.Parse(sql);
                _parsed.Add(sql, parsed);
                _texts.Add(parsed);
            }
        }

        if (parsed.FirstResultSet() is not { } resultSet)
        {
            return null;
        }

        var (table, columns) = resultSet;
        var sample = table is null ? null : _rows.GetValueOrDefault(table);
        var rowCount = table is not null && sample is null ? 0 : Limit(parameters) ?? 1;
        var result = new DataTable();
        var properties = columns.Select(name => Property(sample, name)).ToList();
        foreach (var (name, property) in columns.Zip(properties))
        {
            var type = property is null ? typeof(long) : StoredType(property.PropertyType);
            result.Columns.Add(name is null || result.Columns.Contains(name) ? "" : name, type);
        }

        var values = properties.Select(p => p is null ? 1L : Stored(p.GetValue(sample))).ToArray();
        for (var i = 0; i < rowCount; i++)
        {
            result.Rows.Add(values);
        }

        return result;
    }

    private static int? Limit(DbParameterCollection parameters) =>
        parameters.Cast<DbParameter>().FirstOrDefault(p => p.ParameterName.TrimStart('@') == "limit")?.Value is { } limit
            ? Convert.ToInt32(limit, CultureInfo.InvariantCulture)
            : null;

    private static PropertyInfo? Property(object? sample, string? column) =>
        sample is null || column is null
            ? null
            : sample.GetType().GetProperties().FirstOrDefault(p => string.Equals(p.Name, column.Replace("_", ""), StringComparison.OrdinalIgnoreCase));

    // What the server sends for a property's type: enums are stored as their numbers.
    private static Type StoredType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsEnum ? Enum.GetUnderlyingType(type) : type;
    }

    private static object Stored(object? value) => value switch
    {
        null => DBNull.Value,
        Enum e => Convert.ChangeType(e, e.GetTypeCode(), CultureInfo.InvariantCulture),
        _ => value,
    };
}
