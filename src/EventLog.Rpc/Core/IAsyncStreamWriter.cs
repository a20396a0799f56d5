namespace Grpc.Core;

/// <summary>Writes a stream of messages; one write at a time.</summary>
public interface IAsyncStreamWriter<in T>
{
    /// <summary>Options for subsequent writes.</summary>
    WriteOptions? WriteOptions { get; set; }

    /// <summary>Writes one message.</summary>
    Task WriteAsync(T message);

    /// <summary>Writes one message, observing a cancellation token.</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken) => cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : WriteAsync(message);
}

/// <summary>The server's writer of response messages.</summary>
public interface IServerStreamWriter<in T> : IAsyncStreamWriter<T>
{
}

/// <summary>The client's writer of request messages.</summary>
public interface IClientStreamWriter<in T> : IAsyncStreamWriter<T>
{
    /// <summary>Ends the request stream (half-close).</summary>
    Task CompleteAsync();
}
