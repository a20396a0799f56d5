using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;
using EventLog.Rpc.Internal;
using EventLog.Rpc.Tests.TestHost;
using Grpc.Core;

namespace EventLog.Rpc.Tests.Internal;

public class MessageFramingTests
{
    private static readonly Marshaller<string> Strings = Marshallers.StringMarshaller;

    [Fact]
    public async Task WriteThenRead_RoundTripsMessagesThenEndsCleanly()
    {
        var pipe = new Pipe();
        await MessageFraming.WriteAsync(pipe.Writer, "one", Strings.ContextualSerializer, 1024, null, CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Default);
        await MessageFraming.WriteAsync(pipe.Writer, "", Strings.ContextualSerializer, 1024, null, CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Default);
        await pipe.Writer.CompleteAsync();

        Assert.Equal((true, "one"), await ReadAsync(pipe.Reader));
        Assert.Equal((true, ""), await ReadAsync(pipe.Reader));
        Assert.False((await ReadAsync(pipe.Reader)).HasMessage);
    }

    [Fact]
    public async Task Read_LastMessageOfCompletedStream_ReportsEndOfStream()
    {
        var pipe = new Pipe();
        await MessageFraming.WriteAsync(pipe.Writer, "one", Strings.ContextualSerializer, 1024, null, CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Default);
        await MessageFraming.WriteAsync(pipe.Writer, "two", Strings.ContextualSerializer, 1024, null, CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Default);
        await pipe.Writer.CompleteAsync();

        Assert.Equal((true, "one", false), await ReadWithEndAsync(pipe.Reader));
        Assert.Equal((true, "two", true), await ReadWithEndAsync(pipe.Reader));
    }

    [Theory]
    [InlineData(true, "gzip")]
    [InlineData(true, null)]
    [InlineData(false, null)]
    public async Task Write_BufferWriterMarshaller_FramesLikeTheArrayOne(bool announceLength, string? encoding)
    {
        var text = new string('q', 3000) + "end";
        var viaWriter = new Marshaller<string>(
            (value, context) =>
            {
                var bytes = Encoding.UTF8.GetBytes(value);
                if (announceLength)
                {
                    context.SetPayloadLength(bytes.Length);
                }
                var writer = context.GetBufferWriter();
                // Small pieces, as protobuf writes: every GetSpan/Advance pair must land in the same frame.
                foreach (var piece in bytes.Chunk(700))
                {
                    piece.CopyTo(writer.GetSpan(piece.Length));
                    writer.Advance(piece.Length);
                }
                context.Complete();
            },
            context => Encoding.UTF8.GetString(context.PayloadAsNewBuffer()));
        var buffer = new MemoryStream();
        var pipeWriter = PipeWriter.Create(buffer);
        await MessageFraming.WriteAsync(pipeWriter, text, viaWriter.ContextualSerializer, int.MaxValue, encoding, CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Default);

        if (encoding is null)
        {
            Assert.Equal(await FrameAsync(text, null), buffer.ToArray());
        }
        Assert.Equal((true, text), await ReadAsync(PipeReader.Create(new MemoryStream(buffer.ToArray())), encoding: encoding));
    }

    [Fact]
    public async Task Write_MarshallerWritesOtherThanItAnnounced_Throws()
    {
        var liar = new Marshaller<string>(
            (value, context) =>
            {
                context.SetPayloadLength(10);
                var writer = context.GetBufferWriter();
                writer.GetSpan(3)[..3].Fill((byte)'x');
                writer.Advance(3);
                context.Complete();
            },
            context => "");
        var pipe = new Pipe();

        await Assert.ThrowsAsync<InvalidOperationException>(() => MessageFraming.WriteAsync(pipe.Writer, "", liar.ContextualSerializer, 1024, null, CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Default));
    }

    [Fact]
    public async Task Write_AnnouncedLengthOverTheLimit_IsResourceExhaustedBeforeAnyByte()
    {
        var big = new Marshaller<string>((value, context) => context.SetPayloadLength(11), context => "");
        var buffer = new MemoryStream();
        var writer = PipeWriter.Create(buffer);

        var ex = await Assert.ThrowsAsync<RpcException>(() => MessageFraming.WriteAsync(writer, "", big.ContextualSerializer, 10, null, CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Default));
        await writer.FlushAsync();

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Empty(buffer.ToArray());
    }

    [Fact]
    public async Task Write_FrameLayout_IsFlagLengthPayload()
    {
        var bytes = await FrameAsync("abc", null);

        Assert.Equal(new byte[] { 0, 0, 0, 0, 3, (byte)'a', (byte)'b', (byte)'c' }, bytes);
    }

    [Fact]
    public async Task Gzip_RoundTrip_SetsCompressedFlag()
    {
        var text = new string('z', 10_000);
        var bytes = await FrameAsync(text, "gzip");

        Assert.Equal(1, bytes[0]);
        Assert.True(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)) < 1000);
        Assert.Equal((true, text), await ReadAsync(PipeReader.Create(new MemoryStream(bytes)), encoding: "gzip"));
    }

    [Fact]
    public async Task Read_FrameArrivingInPieces_WaitsForTheRestThenReturnsIt()
    {
        var pipe = new Pipe();
        var frame = await FrameAsync("pieces", null);
        await pipe.Writer.WriteAsync(frame.AsMemory(0, 3));

        // The buffered part is examined at once and found short; the read then waits for more.
        var read = MessageFraming.ReadAsync(pipe.Reader, Strings.ContextualDeserializer, 1024, null, CancellationToken.None).AsTask();
        Assert.False(read.IsCompleted);
        await pipe.Writer.WriteAsync(frame.AsMemory(3, 5));
        await Task.Delay(50);
        Assert.False(read.IsCompleted);
        await pipe.Writer.WriteAsync(frame.AsMemory(8));
        await pipe.Writer.CompleteAsync();

        Assert.Equal((true, "pieces", true), await read.WaitAsync(TestTimeouts.Default));
    }

    [Fact]
    public async Task Read_WithCancelledToken_ThrowsEvenWhenAFrameIsBuffered()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(await FrameAsync("ready", null));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => MessageFraming.ReadAsync(pipe.Reader, Strings.ContextualDeserializer, 1024, null, new CancellationToken(canceled: true)).AsTask());
        Assert.Equal((true, "ready"), await ReadAsync(pipe.Reader));
    }

    [Fact]
    public async Task Read_TruncatedFrame_Internal()
    {
        var bytes = (await FrameAsync("hello", null))[..7];

        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(PipeReader.Create(new MemoryStream(bytes))));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Read_TruncatedHeader_Internal()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(PipeReader.Create(new MemoryStream([0, 0, 0]))));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Read_DeclaredLengthOverLimit_ResourceExhaustedBeforePayloadArrives()
    {
        var pipe = new Pipe();
        // Only the header is written; the limit must be enforced without waiting for 16 MiB.
        await pipe.Writer.WriteAsync(new byte[] { 0, 0x01, 0, 0, 0 });

        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(pipe.Reader, maxSize: 1024));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Read_CompressedFlagWithoutEncoding_Internal()
    {
        var bytes = await FrameAsync("x", "gzip");

        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(PipeReader.Create(new MemoryStream(bytes)), encoding: null));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Read_CompressedWithUnsupportedEncoding_Unimplemented()
    {
        var bytes = await FrameAsync("x", "gzip");

        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(PipeReader.Create(new MemoryStream(bytes)), encoding: "br"));

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task Read_GzipBombOverLimit_ResourceExhausted()
    {
        var bytes = await FrameAsync(new string('a', 100_000), "gzip");

        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(PipeReader.Create(new MemoryStream(bytes)), maxSize: 50_000, encoding: "gzip"));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Read_InvalidFlag_Internal()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(PipeReader.Create(new MemoryStream([7, 0, 0, 0, 0]))));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Read_InvalidGzip_Internal()
    {
        var bytes = new byte[] { 1, 0, 0, 0, 3, 1, 2, 3 };

        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(PipeReader.Create(new MemoryStream(bytes)), encoding: "gzip"));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Write_OverLimit_ResourceExhaustedAndNothingWritten()
    {
        var pipe = new Pipe();

        var ex = await Assert.ThrowsAsync<RpcException>(() => MessageFraming.WriteAsync(pipe.Writer, new string('a', 11), Strings.ContextualSerializer, 10, null, CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        await pipe.Writer.CompleteAsync();
        var result = await pipe.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Default);
        Assert.True(result.Buffer.IsEmpty);
    }

    [Fact]
    public async Task Read_MessageSplitAcrossSegments_IsReassembled()
    {
        var bytes = await FrameAsync("split message", null);
        var pipe = new Pipe();
        var read = ReadAsync(pipe.Reader);
        foreach (var b in bytes)
        {
            await pipe.Writer.WriteAsync(new[] { b });
        }

        Assert.Equal((true, "split message"), await read);
    }

    [Fact]
    public async Task Read_DeserializerThrows_Internal()
    {
        var failing = Marshallers.Create<string>(s => Encoding.UTF8.GetBytes(s), _ => throw new FormatException("bad"));
        var bytes = await FrameAsync("x", null);

        var ex = await Assert.ThrowsAsync<RpcException>(() => MessageFraming.ReadAsync(PipeReader.Create(new MemoryStream(bytes)), failing.ContextualDeserializer, 1024, null, CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    private static async Task<byte[]> FrameAsync(string message, string? encoding)
    {
        var buffer = new MemoryStream();
        var writer = PipeWriter.Create(buffer);
        await MessageFraming.WriteAsync(writer, message, Strings.ContextualSerializer, int.MaxValue, encoding, CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Default);
        return buffer.ToArray();
    }

    private static async Task<(bool HasMessage, string Message)> ReadAsync(PipeReader reader, int maxSize = 1024 * 1024, string? encoding = null)
    {
        var (hasMessage, message, _) = await ReadWithEndAsync(reader, maxSize, encoding);
        return (hasMessage, message);
    }

    private static async Task<(bool HasMessage, string Message, bool EndOfStream)> ReadWithEndAsync(PipeReader reader, int maxSize = 1024 * 1024, string? encoding = null) =>
        await MessageFraming.ReadAsync(reader, Strings.ContextualDeserializer, maxSize, encoding, CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Default);
}
