using System.IO.Compression;
using Grpc.Net.Compression;

namespace EventLog.Server.Hosting;

/// <summary>
/// A request compression (gzip, deflate) whose decompression turns corrupt data into INTERNAL. grpc-dotnet lets
/// the decompressor's InvalidDataException reach its call handler, which answers UNKNOWN and logs an error for
/// bytes a client sent wrong. A gzip message is also checked against its trailer (CRC-32 and length of the
/// data), since .NET's decompressor ends a stream that was cut short without a word, and a cut-off request would
/// be taken for a shorter one. A gzip message of several members fails that check; gRPC peers send one.
/// </summary>
internal sealed class CheckedCompressionProvider(ICompressionProvider inner) : ICompressionProvider
{
    public string EncodingName => inner.EncodingName;

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) => inner.CreateCompressionStream(stream, compressionLevel);

    public Stream CreateDecompressionStream(Stream stream)
    {
        if (inner.EncodingName != "gzip")
        {
            return new CheckedReadStream(inner.CreateDecompressionStream(stream), inner.EncodingName, null);
        }
        var input = new TailKeepingStream(stream);
        return new CheckedReadStream(inner.CreateDecompressionStream(input), inner.EncodingName, input);
    }

    /// <summary>The compressed input, whose last 8 bytes (the gzip trailer) are kept as it is read.</summary>
    private sealed class TailKeepingStream(Stream inner) : ReadOnlyStream
    {
        private readonly byte[] _tail = new byte[8];

        /// <summary>How many bytes were read.</summary>
        public long Consumed { get; private set; }

        /// <summary>The gzip trailer: CRC-32 of the data, then its length modulo 2^32, both little-endian.</summary>
        public (uint Crc, uint Size) Trailer
        {
            get
            {
                // Reads the rest first: the decompressor may stop before the trailer it does not check.
                Span<byte> rest = stackalloc byte[4096];
                while (Read(rest) > 0)
                {
                }
                Span<byte> ordered = stackalloc byte[8];
                for (var i = 0; i < 8; i++)
                {
                    ordered[i] = _tail[(Consumed + i) % 8];
                }
                return (System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(ordered), System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(ordered[4..]));
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            Keep(buffer[..read]);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            Keep(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes)
            {
                _tail[Consumed % 8] = b;
                Consumed++;
            }
        }

    }

    /// <summary>The decompressing stream, with its data errors reported as gRPC statuses.</summary>
    private sealed class CheckedReadStream(Stream inner, string encoding, TailKeepingStream? gzipInput) : ReadOnlyStream
    {
        private readonly System.IO.Hashing.Crc32 _crc = new();
        private uint _size;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int read;
            try
            {
                read = inner.Read(buffer);
            }
            catch (InvalidDataException ex)
            {
                throw Corrupt(ex.Message);
            }
            return Checked(buffer[..read]);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read;
            try
            {
                read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                throw Corrupt(ex.Message);
            }
            return Checked(buffer.Span[..read]);
        }


        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }

        /// <summary>Counts what was decompressed; at its end, a gzip message's trailer must match it.</summary>
        private int Checked(ReadOnlySpan<byte> data)
        {
            if (gzipInput is null)
            {
                return data.Length;
            }
            if (data.Length > 0)
            {
                _crc.Append(data);
                _size = unchecked(_size + (uint)data.Length);
                return data.Length;
            }
            var trailer = gzipInput.Trailer;
            if (gzipInput.Consumed < 18 || trailer.Crc != _crc.GetCurrentHashAsUInt32() || trailer.Size != _size)
            {
                throw Corrupt("the data does not match the gzip trailer; the message was cut short or altered.");
            }
            return 0;
        }

        private RpcException Corrupt(string why) =>
            Infrastructure.Errors.Create(StatusCode.Internal, "MALFORMED_MESSAGE", $"The request message could not be decompressed ({encoding}): {why}");
    }

    /// <summary>What both streams share: they are read forward once and nothing else.</summary>
    private abstract class ReadOnlyStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
