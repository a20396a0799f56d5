using System.Text;
using EventLog.Rpc.Internal;

namespace EventLog.Rpc.Tests.Internal;

public class PercentEncodingTests
{
    private const string SpecialMessage = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";

    [Fact]
    public void SpecialStatusMessage_RoundTrips()
    {
        var encoded = PercentEncoding.Encode(SpecialMessage);

        Assert.Equal(SpecialMessage, PercentEncoding.Decode(encoded));
    }

    [Fact]
    public void Encode_EscapesOnlyBytesOutsidePrintableAsciiAndPercent()
    {
        var encoded = PercentEncoding.Encode(SpecialMessage);

        Assert.Equal("%09%0Atest with whitespace%0D%0Aand Unicode BMP %E2%98%BA and non-BMP %F0%9F%98%88%09%0A", encoded);
        Assert.All(encoded, c => Assert.InRange(c, ' ', '~'));
    }

    [Fact]
    public void Encode_KeepsPrintableAsciiIncludingReservedUriCharacters()
    {
        const string printable = " !\"#$&'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~";

        Assert.Equal(printable, PercentEncoding.Encode(printable));
        Assert.Equal("100%25 sure", PercentEncoding.Encode("100% sure"));
    }

    [Fact]
    public void Encode_EveryByteValue_IsDecodedBack()
    {
        var all = new string(Enumerable.Range(1, 0x7F).Select(i => (char)i).ToArray()) + "é中😈";

        Assert.Equal(all, PercentEncoding.Decode(PercentEncoding.Encode(all)));
    }

    [Theory]
    [InlineData("100%", "100%")]
    [InlineData("%zz ok", "%zz ok")]
    [InlineData("%4", "%4")]
    [InlineData("%41%42", "AB")]
    [InlineData("%e2%98%ba", "☺")]
    [InlineData("raw 😈 kept", "raw 😈 kept")]
    public void Decode_IsLenientWithMalformedSequences(string input, string expected)
    {
        Assert.Equal(expected, PercentEncoding.Decode(input));
    }

    [Fact]
    public void Decode_InvalidUtf8_DoesNotThrow()
    {
        var decoded = PercentEncoding.Decode("bad %FF byte");

        Assert.StartsWith("bad ", decoded, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetString([0xFF]), decoded.Substring(4, 1));
    }
}
