using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.SqlClient;

namespace EventLog.Storage.Tests.SqlServer;

/// <summary>
/// A command of a <see cref="RecordingConnection"/>: running it hands its text to the <see cref="RecordingSqlServer"/>.
/// Parameters are <see cref="SqlParameter"/>s, so values are bound the way they are for SQL Server.
/// </summary>
internal sealed class RecordingCommand(RecordingSqlServer server) : DbCommand
{
    // SqlParameterCollection has no public constructor; a command that never runs lends its own.
    private readonly SqlCommand _parameterHolder = new();

    [AllowNull]
    public override string CommandText { get; set; } = "";

    public override int CommandTimeout { get; set; }

    public override CommandType CommandType { get; set; } = CommandType.Text;

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    protected override DbConnection? DbConnection { get; set; }

    protected override DbParameterCollection DbParameterCollection => _parameterHolder.Parameters;

    protected override DbTransaction? DbTransaction { get; set; }

    public override void Cancel()
    {
    }

    public override void Prepare()
    {
    }

    public override int ExecuteNonQuery()
    {
        server.Run(CommandText, Parameters);
        return 0;
    }

    public override object? ExecuteScalar() =>
        server.Run(CommandText, Parameters) is { Rows.Count: > 0 } result ? result.Rows[0][0] : null;

    protected override DbParameter CreateDbParameter() => new SqlParameter();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) =>
        (server.Run(CommandText, Parameters) ?? new DataTable()).CreateDataReader();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _parameterHolder.Dispose();
        }

        base.Dispose(disposing);
    }
}
