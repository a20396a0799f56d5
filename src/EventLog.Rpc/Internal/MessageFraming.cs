using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Pipelines;
using Grpc.Core;

namespace EventLog.Rpc.Internal;

/// <summary>
/// Length-prefixed gRPC messages: 1 byte compressed flag, 4 bytes big-endian length, payload.
/// Shared by the server (Kestrel pipes) and the client (HttpClient streams wrapped in pipes).
/// </summary>
internal static class MessageFraming
{
    /// <summary>
    /// Reads the next message. Returns (false, default) at a clean end of stream; <c>EndOfStream</c> is also
    /// true when the message was the last data of a completed stream, so the caller need not read again.
    /// Throws <see cref="RpcException"/> for truncated frames, oversize messages and bad compression.
    /// </summary>
    public static ValueTask<(bool HasMessage, T Message, bool EndOfStream)> ReadAsync<T>(
        PipeReader reader, Func<DeserializationContext, T> deserializer, int maxMessageSize, string? encoding, CancellationToken cancellationToken)
    {
        // A frame already buffered (most small messages are, with the end of the stream) is taken without an await;
        // a cancelled token goes the slow way, whose read throws.
        if (!cancellationToken.IsCancellationRequested && reader.TryRead(out var buffered) && TryTake(reader, buffered, deserializer, maxMessageSize, encoding, cancellationToken, out var read))
        {
            return new(read);
        }
        return ReadSlowAsync(reader, deserializer, maxMessageSize, encoding, cancellationToken);
    }

    private static async ValueTask<(bool HasMessage, T Message, bool EndOfStream)> ReadSlowAsync<T>(
        PipeReader reader, Func<DeserializationContext, T> deserializer, int maxMessageSize, string? encoding, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (TryTake(reader, result, deserializer, maxMessageSize, encoding, cancellationToken, out var read))
            {
                return read;
            }
        }
    }

    /// <summary>
    /// Takes the next message from what the reader returned, or the end of the stream. False when the frame is not
    /// complete yet: everything was examined, and the next read waits for more data.
    /// </summary>
    private static bool TryTake<T>(
        PipeReader reader, in ReadResult result, Func<DeserializationContext, T> deserializer, int maxMessageSize, string? encoding,
        CancellationToken cancellationToken, out (bool HasMessage, T Message, bool EndOfStream) read)
    {
        var buffer = result.Buffer;
        if (TryParseHeader(buffer, out var compressed, out var length))
        {
            if (length > maxMessageSize)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Received message exceeds the maximum configured message size ({length} > {maxMessageSize})."));
            }
            if (buffer.Length >= GrpcProtocol.HeaderSize + length)
            {
                var payload = buffer.Slice(GrpcProtocol.HeaderSize, length);
                try
                {
                    var message = Deserialize(payload, compressed, encoding, maxMessageSize, deserializer);
                    read = (true, message, result.IsCompleted && payload.End.Equals(buffer.End));
                    return true;
                }
                finally
                {
                    reader.AdvanceTo(payload.End);
                }
            }
        }
        if (result.IsCompleted)
        {
            reader.AdvanceTo(buffer.End);
            if (buffer.Length == 0)
            {
                read = (false, default!, true);
                return true;
            }
            throw new RpcException(new Status(StatusCode.Internal, "Incomplete message: the stream ended inside a gRPC frame."));
        }
        if (result.IsCanceled)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        reader.AdvanceTo(buffer.Start, buffer.End);
        read = default;
        return false;
    }

    /// <summary>Serializes and writes one framed message, compressing when an encoding is given.</summary>
    public static async ValueTask WriteAsync<T>(
        PipeWriter writer, T message, Action<T, SerializationContext> serializer, int maxMessageSize, string? compressEncoding, CancellationToken cancellationToken)
    {
        WriteFrame(writer, message, serializer, maxMessageSize, compressEncoding);
        var flush = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (flush.IsCanceled)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    /// <summary>Serializes one message into <paramref name="writer"/> as a gRPC frame, without flushing.</summary>
    public static void WriteFrame<T>(PipeWriter writer, T message, Action<T, SerializationContext> serializer, int maxMessageSize, string? compressEncoding)
    {
        var context = FrameSerializationContext.Rent(writer, maxMessageSize, compressEncoding);
        try
        {
            serializer(message, context);
            context.EnsureCompleted();
        }
        finally
        {
            FrameSerializationContext.Return(context);
        }
    }

    private static bool TryParseHeader(ReadOnlySequence<byte> buffer, out bool compressed, out long length)
    {
        compressed = false;
        length = 0;
        // The header almost always lies in the first segment; only a frame split across segments needs the copy.
        Span<byte> copy = stackalloc byte[GrpcProtocol.HeaderSize];
        scoped ReadOnlySpan<byte> header = buffer.FirstSpan;
        if (header.Length < GrpcProtocol.HeaderSize)
        {
            if (buffer.Length < GrpcProtocol.HeaderSize)
            {
                return false;
            }
            buffer.Slice(0, GrpcProtocol.HeaderSize).CopyTo(copy);
            header = copy;
        }
        if (header[0] > 1)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Invalid compressed flag {header[0]} in gRPC frame."));
        }
        compressed = header[0] == 1;
        length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        return true;
    }

    private static T Deserialize<T>(ReadOnlySequence<byte> payload, bool compressed, string? encoding, int maxMessageSize, Func<DeserializationContext, T> deserializer)
    {
        if (compressed)
        {
            if (encoding is null || encoding == GrpcProtocol.IdentityEncoding)
            {
                throw new RpcException(new Status(StatusCode.Internal, "A compressed message was received without a grpc-encoding."));
            }
            if (encoding != GrpcProtocol.GzipEncoding)
            {
                throw new RpcException(new Status(StatusCode.Unimplemented, $"Unsupported grpc-encoding '{encoding}'."));
            }
            payload = new ReadOnlySequence<byte>(Gunzip(payload, maxMessageSize));
        }
        var context = ArrayDeserializationContext.Rent(payload);
        try
        {
            return deserializer(context);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Failed to deserialize message: " + ex.Message, ex));
        }
        finally
        {
            ArrayDeserializationContext.Return(context);
        }
    }

    internal static byte[] Gzip(ReadOnlySpan<byte> payload)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(payload);
        }
        return output.ToArray();
    }

    private static byte[] Gunzip(ReadOnlySequence<byte> payload, int maxMessageSize)
    {
        try
        {
            using var input = new MemoryStream(payload.ToArray());
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = gzip.Read(chunk)) > 0)
            {
                if (output.Length + read > maxMessageSize)
                {
                    throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Decompressed message exceeds the maximum configured message size ({maxMessageSize})."));
                }
                output.Write(chunk, 0, read);
            }
            var message = output.ToArray();
            VerifyTrailer(payload, message);
            return message;
        }
        catch (InvalidDataException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Invalid gzip payload.", ex));
        }
    }

    // GZipStream returns what it could inflate when the input stops early, so a payload cut
    // short would pass as a shorter message. The gzip trailer (RFC 1952: CRC-32 and length of
    // the inflated data, little-endian) must match what was inflated.
    private static void VerifyTrailer(ReadOnlySequence<byte> payload, byte[] message)
    {
        const int MinimumMemberLength = 18; // 10-byte header, empty deflate block, 8-byte trailer
        Span<byte> trailer = stackalloc byte[8];
        if (payload.Length < MinimumMemberLength)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Invalid gzip payload: shorter than a gzip member."));
        }
        payload.Slice(payload.Length - 8).CopyTo(trailer);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        var size = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (size != unchecked((uint)message.Length) || crc != System.IO.Hashing.Crc32.HashToUInt32(message))
        {
            throw new RpcException(new Status(StatusCode.Internal, "Invalid gzip payload: truncated or corrupt (trailer does not match)."));
        }
    }
}
