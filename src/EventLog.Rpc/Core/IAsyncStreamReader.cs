namespace Grpc.Core;

/// <summary>Reads a stream of messages.</summary>
public interface IAsyncStreamReader<out T>
{
    /// <summary>The current message, valid after <see cref="MoveNext"/> returned true.</summary>
    T Current { get; }

    /// <summary>Advances to the next message; false at the end of the stream.</summary>
    Task<bool> MoveNext(CancellationToken cancellationToken);
}
