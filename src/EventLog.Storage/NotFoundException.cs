namespace EventLog.Storage;

/// <summary>The requested entity does not exist (or is not visible to the caller's project).</summary>
public sealed class NotFoundException : StorageException
{
    /// <summary>Creates the exception with a precise message.</summary>
    public NotFoundException(string message) : base(message)
    {
    }
}
