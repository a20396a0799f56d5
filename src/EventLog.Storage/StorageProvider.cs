namespace EventLog.Storage;

/// <summary>The database engine EventLog stores its data in.</summary>
public enum StorageProvider
{
    /// <summary>An embedded SQLite file; needs no database server.</summary>
    Sqlite = 0,

    /// <summary>Microsoft SQL Server (or Azure SQL); required for several replicas.</summary>
    SqlServer = 1,
}
