
namespace EventLog.Interop.Tests.Malformed.Http2;

/// <summary>The test HPACK codec against the examples of RFC 7541 Appendix C, so a raw-HTTP/2 failure is never the codec's.</summary>
public sealed class HpackTests
{
    [Fact]
    public void Decoder_RequestExamplesWithoutHuffman_C3()
    {
        var decoder = new HpackDecoder();

        var first = decoder.Decode(Convert.FromHexString("828684410f7777772e6578616d706c652e636f6d"));
        var second = decoder.Decode(Convert.FromHexString("828684be58086e6f2d6361636865"));
        var third = decoder.Decode(Convert.FromHexString("828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565"));

        Assert.Equal([(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")], first);
        Assert.Equal([(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com"), ("cache-control", "no-cache")], second);
        Assert.Equal([(":method", "GET"), (":scheme", "https"), (":path", "/index.html"), (":authority", "www.example.com"), ("custom-key", "custom-value")], third);
    }

    [Fact]
    public void Decoder_ResponseExamplesWithEviction_C5()
    {
        var decoder = new HpackDecoder(allowedTableSize: 256);

        var first = decoder.Decode(Convert.FromHexString(
            "4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a323120474d546e1768747470733a2f2f7777772e6578616d706c652e636f6d"));
        // :status 302 no longer fits and is evicted; the other three entries are reused by index.
        var second = decoder.Decode(Convert.FromHexString("4803333037c1c0bf"));

        Assert.Equal([(":status", "302"), ("cache-control", "private"), ("date", "Mon, 21 Oct 2013 20:13:21 GMT"), ("location", "https://www.example.com")], first);
        Assert.Equal([(":status", "307"), ("cache-control", "private"), ("date", "Mon, 21 Oct 2013 20:13:21 GMT"), ("location", "https://www.example.com")], second);
    }

    [Fact]
    public void Decoder_HuffmanString_IsRefusedClearly()
    {
        // C.4.1: the same first request with a Huffman-coded authority.
        var error = Assert.Throws<NotSupportedException>(() => new HpackDecoder().Decode(Convert.FromHexString("828684418cf1e3c2e5f23a6ba0ab90f4ff")));

        Assert.Contains("Huffman", error.Message);
    }

    [Fact]
    public void Encoder_LiteralsWithoutIndexing_DecodeBack_LongValuesIncluded()
    {
        (string, string)[] fields = [(":method", "POST"), (":path", "/a.B/C"), ("grpc-timeout", "1S"), ("x-long", new string('v', 300))];

        var block = HpackEncoder.Encode(fields);

        Assert.Equal(0x00, block[0]);
        Assert.Equal(fields, new HpackDecoder().Decode(block));
    }
}
