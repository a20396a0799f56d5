using EventLog.Rpc.Internal;
using Grpc.Core;

namespace EventLog.Rpc.Tests.Internal;

public class MetadataCodecTests
{
    [Theory]
    [InlineData("AAEC/w==")]
    [InlineData("AAEC/w")]
    [InlineData("AAEC_w")]
    public void TryAdd_BinaryValue_DecodesWithOrWithoutPadding(string value)
    {
        var metadata = new Metadata();

        Assert.True(MetadataCodec.TryAdd(metadata, "x-data-bin", value));
        Assert.Equal(new byte[] { 0, 1, 2, 0xFF }, metadata.GetValueBytes("x-data-bin"));
    }

    [Fact]
    public void TryAdd_CommaJoinedBinaryValues_BecomeSeparateEntries()
    {
        var metadata = new Metadata();

        Assert.True(MetadataCodec.TryAdd(metadata, "x-bin", "AQ==, Ag"));
        Assert.Equal([new byte[] { 1 }, new byte[] { 2 }], metadata.GetAll("x-bin").Select(e => e.ValueBytes));
    }

    [Fact]
    public void TryAdd_InvalidValues_AreRejected()
    {
        var metadata = new Metadata();

        Assert.False(MetadataCodec.TryAdd(metadata, "x-bin", "not base64!"));
        Assert.False(MetadataCodec.TryAdd(metadata, "x-text", "caf\u00e9"));
        Assert.False(MetadataCodec.TryAdd(metadata, "Bad Key", "v"));
        Assert.Empty(metadata);
    }

    [Fact]
    public void ToHeaderValue_BinaryIsPaddedBase64_TextIsUnchanged()
    {
        Assert.Equal("AAEC/w==", MetadataCodec.ToHeaderValue(new Metadata.Entry("x-bin", [0, 1, 2, 0xFF])));
        Assert.Equal("plain value", MetadataCodec.ToHeaderValue(new Metadata.Entry("x-text", "plain value")));
    }

    [Fact]
    public void BinaryValue_RoundTripsThroughHeader()
    {
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var metadata = new Metadata();

        Assert.True(MetadataCodec.TryAdd(metadata, "all-bin", MetadataCodec.ToHeaderValue(new Metadata.Entry("all-bin", bytes))));
        Assert.Equal(bytes, metadata.GetValueBytes("all-bin"));
    }
}
