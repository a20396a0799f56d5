namespace EventLog.Storage;

/// <summary>The database engine EventLog stores its data in.</summary>
public enum StorageProvider
{
    /// <summary>An embedded SQLite file; needs no database server.</summary>
    Sqlite = 0,

    /// <summary>Microsoft SQL Server (or Azure SQL); one of the engines for several replicas.</summary>
    SqlServer = 1,

    /// <summary>
    /// PostgreSQL; one of the engines for several replicas. Commits wake the watchers of other replicas through
    /// LISTEN/NOTIFY instead of their next poll.
    /// </summary>
    PostgreSql = 2,
}
