using System.Data;
using Dapper;

namespace EventLog.Storage.Core;

/// <summary>Registers the Dapper handlers that make UTC times and GUIDs portable between engines.</summary>
internal static class DapperSetup
{
    private static int _configured;

    public static void EnsureConfigured()
    {
        if (Interlocked.Exchange(ref _configured, 1) == 1)
        {
            return;
        }

        // Dapper's built-in type map wins over handlers, so remove it first.
        SqlMapper.RemoveTypeMap(typeof(DateTime));
        SqlMapper.RemoveTypeMap(typeof(DateTime?));
        SqlMapper.RemoveTypeMap(typeof(Guid));
        SqlMapper.RemoveTypeMap(typeof(Guid?));
        SqlMapper.AddTypeHandler(new UtcDateTimeHandler());
        SqlMapper.AddTypeHandler(new GuidHandler());
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    private sealed class UtcDateTimeHandler : SqlMapper.TypeHandler<DateTime>
    {
        public override void SetValue(IDbDataParameter parameter, DateTime value) => DbValues.SetDateTime(parameter, value);

        public override DateTime Parse(object value) => DbValues.ParseDateTime(value);
    }

    private sealed class GuidHandler : SqlMapper.TypeHandler<Guid>
    {
        public override void SetValue(IDbDataParameter parameter, Guid value) => DbValues.SetGuid(parameter, value);

        public override Guid Parse(object value) => DbValues.ParseGuid(value);
    }
}
