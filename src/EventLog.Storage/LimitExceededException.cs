namespace EventLog.Storage;

/// <summary>A write would go past a configured limit (for example too many commands pending for an agent).</summary>
public sealed class LimitExceededException : StorageException
{
    /// <summary>Creates the exception with a precise message.</summary>
    public LimitExceededException(string message) : base(message)
    {
    }
}
