namespace EventLog.Storage;

/// <summary>Storage settings, bound from the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Storage";

    /// <summary>Database engine. Default <see cref="StorageProvider.Sqlite"/>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// Connection string. Required for SQL Server and PostgreSQL. For SQLite it is optional; when empty the
    /// database is <see cref="SqliteFileName"/> under <see cref="DataDirectory"/>. Default empty.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Directory holding the SQLite database file. Default <c>./data</c>.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>SQLite database file name inside <see cref="DataDirectory"/>. Default <c>eventlog.db</c>.</summary>
    public string SqliteFileName { get; set; } = "eventlog.db";

    /// <summary>
    /// How often a waiter re-reads a stream's position so commits made by other processes
    /// (other replicas) are found. Commits in this process wake waiters at once. On PostgreSQL so do commits of
    /// other processes (LISTEN/NOTIFY): while its listening connection is up, waiters poll 30 times less often, as a
    /// safety net, and at this interval while it is down. Default 1 second.
    /// </summary>
    public TimeSpan ChangePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// PostgreSQL only: listen for the commits other processes announce. Tests turn it off to see the polling
    /// that remains when the listening connection is down. Default <c>true</c>.
    /// </summary>
    internal bool ListenForCommits { get; set; } = true;

    /// <summary>Timeout of a single database command (and SQLite's busy wait). Default 30 seconds.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Apply embedded migrations when the host starts. Default <c>true</c>.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Retention (reaper) settings.</summary>
    public RetentionOptions Retention { get; set; } = new();
}
