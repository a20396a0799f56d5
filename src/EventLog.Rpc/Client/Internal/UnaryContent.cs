using System.Net;

namespace EventLog.Rpc.Client.Internal;

/// <summary>The body of a call with a single request: one message, framed before sending.</summary>
internal sealed class UnaryContent(byte[] frame) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        stream.WriteAsync(frame).AsTask();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.WriteAsync(frame, cancellationToken).AsTask();

    // No content-length: gRPC bodies are streams, and some peers treat the header as unexpected.
    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
