namespace EventLog.Storage;

/// <summary>Base type of the errors the storage layer reports for services to map to status codes.</summary>
public abstract class StorageException : Exception
{
    /// <summary>Creates the exception with a precise message.</summary>
    protected StorageException(string message) : base(message)
    {
    }
}
