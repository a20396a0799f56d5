namespace EventLog.Storage;

/// <summary>Tells whether the store can be reached and read now, for health checks.</summary>
public interface IStorageProbe
{
    /// <summary>
    /// Opens a new connection and reads the schema version table. Throws when the store cannot be reached,
    /// its database is missing, or the read fails.
    /// </summary>
    Task ProbeAsync(CancellationToken cancellationToken);
}
