using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace EventLog.Storage.Sqlite;

/// <summary>
/// A command of a <see cref="StatementCachingConnection"/>: setting the SQL borrows a prepared command for it;
/// everything else goes to that command. Settings made before the SQL (Dapper sets the transaction first) are
/// kept and applied when it is borrowed.
/// </summary>
internal sealed class CachedCommand(StatementCachingConnection connection) : DbCommand
{
    private SqliteCommand? _command;
    private DbTransaction? _transaction;
    private int? _timeout;

    [AllowNull]
    public override string CommandText
    {
        get => _command?.CommandText ?? "";
        set
        {
            if (_command is not null && _command.CommandText == value)
            {
                return;
            }

            // Dapper rewrites the SQL after adding parameters (a list parameter expands to one per item):
            // the parameters move to the command prepared for the new text.
            var parameters = _command?.Parameters.Cast<SqliteParameter>().ToArray() ?? [];
            _command?.Parameters.Clear();
            ReturnCommand();
            _command = connection.Rent(value ?? "");
            _command.Parameters.AddRange(parameters);
            _command.Transaction = (SqliteTransaction?)_transaction;
            if (_timeout is { } timeout)
            {
                _command.CommandTimeout = timeout;
            }
        }
    }

    public override int CommandTimeout
    {
        get => _timeout ?? _command?.CommandTimeout ?? 30;
        set
        {
            _timeout = value;
            if (_command is not null)
            {
                _command.CommandTimeout = value;
            }
        }
    }

    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
            {
                throw new ArgumentException("SQLite runs text commands only.", nameof(value));
            }
        }
    }

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    protected override DbConnection? DbConnection
    {
        get => connection;
        set => throw new NotSupportedException("A cached command belongs to its connection.");
    }

    protected override DbParameterCollection DbParameterCollection => Command.Parameters;

    protected override DbTransaction? DbTransaction
    {
        get => _transaction;
        set
        {
            _transaction = value;
            if (_command is not null)
            {
                _command.Transaction = (SqliteTransaction?)value;
            }
        }
    }

    private SqliteCommand Command => _command ?? throw new InvalidOperationException("Set CommandText first.");

    public override void Cancel() => _command?.Cancel();

    public override int ExecuteNonQuery() => Command.ExecuteNonQuery();

    public override object? ExecuteScalar() => Command.ExecuteScalar();

    public override void Prepare() => Command.Prepare();

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => Command.ExecuteNonQueryAsync(cancellationToken);

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => Command.ExecuteScalarAsync(cancellationToken);

    protected override DbParameter CreateDbParameter() => new SqliteParameter();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Command.ExecuteReader(behavior);

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        await Command.ExecuteReaderAsync(behavior, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReturnCommand();
        }

        base.Dispose(disposing);
    }

    private void ReturnCommand()
    {
        if (_command is not null)
        {
            connection.Return(_command);
            _command = null;
        }
    }
}
