namespace EventLog.Storage;

/// <summary>Applies the embedded schema scripts. The host runs it at startup; tools and tests may call it directly.</summary>
public interface IStorageMigrator
{
    /// <summary>Applies every script not yet recorded, in version order, and returns how many were applied.</summary>
    Task<int> MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>The versions recorded in the schema-version table, ascending.</summary>
    Task<IReadOnlyList<int>> GetAppliedVersionsAsync(CancellationToken cancellationToken = default);
}
