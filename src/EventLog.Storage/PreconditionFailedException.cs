namespace EventLog.Storage;

/// <summary>The entity is not in a state that allows the operation (for example completing a finished task).</summary>
public sealed class PreconditionFailedException : StorageException
{
    /// <summary>Creates the exception with a precise message.</summary>
    public PreconditionFailedException(string message) : base(message)
    {
    }
}
