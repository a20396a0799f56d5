using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace EventLog.Storage.Core;

/// <summary>
/// How UTC times and GUIDs are bound and read on each engine. SQLite keeps times as fixed-width
/// ISO text (so text order is time order) and GUIDs as text; SQL Server uses datetime2 and uniqueidentifier;
/// PostgreSQL timestamptz (an instant, read back as UTC) and uuid.
/// </summary>
internal static class DbValues
{
    private const string SqliteTimeFormat = "yyyy-MM-dd HH:mm:ss.fffffff";

    public static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    public static void SetDateTime(IDbDataParameter parameter, DateTime value)
    {
        if (parameter is SqliteParameter)
        {
            parameter.DbType = DbType.String;
            parameter.Value = Utc(value).ToString(SqliteTimeFormat, CultureInfo.InvariantCulture);
        }
        else if (parameter is NpgsqlParameter npgsql)
        {
            npgsql.NpgsqlDbType = NpgsqlDbType.TimestampTz;
            npgsql.Value = Utc(value);
        }
        else
        {
            parameter.DbType = DbType.DateTime2;
            parameter.Value = Utc(value);
        }
    }

    public static DateTime ParseDateTime(object value) => value switch
    {
        DateTime d => Utc(d),
        DateTimeOffset o => o.UtcDateTime,
        string s => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        _ => throw new InvalidCastException($"Cannot read a time from {value.GetType().Name}."),
    };

    public static void SetGuid(IDbDataParameter parameter, Guid value)
    {
        if (parameter is SqliteParameter)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.ToString("D");
        }
        else
        {
            parameter.DbType = DbType.Guid;
            parameter.Value = value;
        }
    }

    public static Guid ParseGuid(object value) => value switch
    {
        Guid g => g,
        string s => Guid.Parse(s),
        byte[] b => new Guid(b),
        _ => throw new InvalidCastException($"Cannot read a GUID from {value.GetType().Name}."),
    };

    public static void Add(DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }

    public static void AddDateTime(DbCommand command, string name, DateTime value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        SetDateTime(p, value);
        command.Parameters.Add(p);
    }
}
