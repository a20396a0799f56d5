namespace EventLog.Storage;

/// <summary>A page token is malformed or was issued for a different query (other filters).</summary>
public sealed class InvalidPageTokenException : StorageException
{
    /// <summary>Creates the exception with a precise message.</summary>
    public InvalidPageTokenException(string message) : base(message)
    {
    }
}
