using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace EventLog.Storage.Tests.SqlServer;

/// <summary>A connection to a <see cref="RecordingSqlServer"/>: opening, transactions and commits always succeed.</summary>
internal sealed class RecordingConnection(RecordingSqlServer server) : DbConnection
{
    private ConnectionState _state = ConnectionState.Closed;

    [AllowNull]
    public override string ConnectionString { get; set; } = "";

    public override string Database => "eventlog";

    public override string DataSource => nameof(RecordingSqlServer);

    public override string ServerVersion => "16.00.1000";

    public override ConnectionState State => _state;

    public override void ChangeDatabase(string databaseName)
    {
    }

    public override void Open() => _state = ConnectionState.Open;

    public override void Close() => _state = ConnectionState.Closed;

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => new RecordingTransaction(this, isolationLevel);

    protected override DbCommand CreateDbCommand() => new RecordingCommand(server) { Connection = this };

    private sealed class RecordingTransaction(DbConnection connection, IsolationLevel isolationLevel) : DbTransaction
    {
        public override IsolationLevel IsolationLevel => isolationLevel;

        protected override DbConnection DbConnection => connection;

        public override void Commit()
        {
        }

        public override void Rollback()
        {
        }
    }
}
