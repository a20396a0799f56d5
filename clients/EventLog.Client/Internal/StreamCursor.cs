using Grpc.Core;

namespace EventLog.Client.Internal;

/// <summary>
/// What a resumable stream needs to know about one server-streaming RPC: how to open it at the current
/// position, and what each response does to that position. <see cref="ResumableStream"/> drives it.
/// </summary>
internal abstract class StreamCursor<TResponse>
{
    /// <summary>Opens the call from the current position (the last sequence the consumer received).</summary>
    public abstract AsyncServerStreamingCall<TResponse> Open(CallOptions options);

    /// <summary>
    /// Takes one response: advances the position and returns whether the consumer should see it
    /// (false for heartbeats and for anything at or below the position, i.e. duplicates after a resume).
    /// </summary>
    public abstract bool Accept(TResponse response);

    /// <summary>True once the stream reached its natural end (a final task state, an ended task); no reconnect after it.</summary>
    public virtual bool Finished => false;

    /// <summary>
    /// Whether a stream that ends with OK before <see cref="Finished"/> is resumed: true for streams that
    /// only end when the server goes away (watches, follows), false for streams that end when they are done.
    /// </summary>
    public abstract bool ResumeOnEnd { get; }
}
