using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace EventLog.Storage.Sqlite;

/// <summary>
/// The SQLite writer's connection, keeping each statement it ran prepared for the next time. Microsoft.Data.Sqlite
/// prepares a command's SQL again for every new command object, and Dapper creates one per call; for the small
/// writes EventLog makes, preparing cost about as much as running. Dapper sees a normal connection whose commands
/// borrow an already prepared <see cref="SqliteCommand"/> for their SQL text and give it back when disposed.
/// </summary>
/// <remarks>
/// Given a <paramref name="release"/> callback, disposing hands the connection to it instead (a pool of open
/// readers); the callback returns false when it does not keep it, and the connection is then closed.
/// </remarks>
internal sealed class StatementCachingConnection(SqliteConnection inner, Func<StatementCachingConnection, bool>? release = null) : DbConnection
{
    // Writes use constant SQL; the bound only guards against a caller that builds SQL text per call.
    private const int MaxCachedStatements = 512;

    private readonly Dictionary<string, Stack<SqliteCommand>> _idle = new(StringComparer.Ordinal);

    [AllowNull]
    public override string ConnectionString
    {
        get => inner.ConnectionString;
        set => throw new NotSupportedException("The writer connection's connection string is fixed.");
    }

    public override string Database => inner.Database;

    public override string DataSource => inner.DataSource;

    public override string ServerVersion => inner.ServerVersion;

    public override ConnectionState State => inner.State;

    public override void ChangeDatabase(string databaseName) => inner.ChangeDatabase(databaseName);

    public override void Open() => inner.Open();

    public override Task OpenAsync(CancellationToken cancellationToken) => inner.OpenAsync(cancellationToken);

    public override void Close() => inner.Close();

    /// <summary>A prepared command for <paramref name="sql"/>, idle or new.</summary>
    internal SqliteCommand Rent(string sql)
    {
        if (_idle.TryGetValue(sql, out var idle) && idle.TryPop(out var command))
        {
            return command;
        }

        command = inner.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary>Takes a command back once its caller is done with it.</summary>
    internal void Return(SqliteCommand command)
    {
        command.Parameters.Clear();
        command.Transaction = null;
        if (!_idle.TryGetValue(command.CommandText, out var idle))
        {
            if (_idle.Count >= MaxCachedStatements)
            {
                command.Dispose();
                return;
            }

            idle = new Stack<SqliteCommand>(1);
            _idle.Add(command.CommandText, idle);
        }

        idle.Push(command);
    }

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => inner.BeginTransaction(isolationLevel);

    protected override DbCommand CreateDbCommand() => new CachedCommand(this);

    /// <summary>Closes the connection for good, also when it belongs to a pool.</summary>
    internal void Close(bool forGood)
    {
        if (forGood)
        {
            release = null;
        }

        Dispose();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && release is { } owner && inner.State == ConnectionState.Open && owner(this))
        {
            return;
        }

        if (disposing)
        {
            foreach (var command in _idle.Values.SelectMany(idle => idle))
            {
                command.Dispose();
            }

            _idle.Clear();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
