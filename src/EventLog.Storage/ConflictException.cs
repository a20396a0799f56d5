namespace EventLog.Storage;

/// <summary>The write conflicts with the current state (for example the entity already exists).</summary>
public sealed class ConflictException : StorageException
{
    /// <summary>Creates the exception with a precise message.</summary>
    public ConflictException(string message) : base(message)
    {
    }
}
