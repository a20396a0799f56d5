namespace Grpc.Core;

/// <summary>Thrown when a call ends with a status other than OK; thrown by handlers to end a call with a status.</summary>
public class RpcException : Exception
{
    /// <summary>Creates an exception carrying a status.</summary>
    public RpcException(Status status)
        : this(status, Metadata.Empty, status.ToString())
    {
    }

    /// <summary>Creates an exception carrying a status and a custom message.</summary>
    public RpcException(Status status, string message)
        : this(status, Metadata.Empty, message)
    {
    }

    /// <summary>Creates an exception carrying a status and trailers.</summary>
    public RpcException(Status status, Metadata trailers)
        : this(status, trailers, status.ToString())
    {
    }

    /// <summary>Creates an exception carrying a status, trailers and a custom message.</summary>
    public RpcException(Status status, Metadata trailers, string message)
        : base(message, status.DebugException)
    {
        Status = status;
        Trailers = trailers ?? Metadata.Empty;
    }

    /// <summary>The status of the call.</summary>
    public Status Status { get; }

    /// <summary>The status code of the call.</summary>
    public StatusCode StatusCode => Status.StatusCode;

    /// <summary>Trailing metadata sent with the status (or received with it, on the client).</summary>
    public Metadata Trailers { get; }
}
