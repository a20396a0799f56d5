using System.Text;

namespace EventLog.Interop.Tests.Malformed.Http2;

/// <summary>
/// Request header blocks in the simplest HPACK form a peer must accept: every field a literal without
/// indexing with a literal name and raw (not Huffman) strings (RFC 7541 6.2.2), so what goes on the
/// wire is exactly what the test wrote, with no table state to get wrong.
/// </summary>
public static class HpackEncoder
{
    /// <summary>Encodes the fields in order (pseudo-headers must come first; names must be lower-case).</summary>
    public static byte[] Encode(IEnumerable<(string Name, string Value)> fields)
    {
        var block = new List<byte>();
        foreach (var (name, value) in fields)
        {
            block.Add(0x00);
            WriteString(block, name);
            WriteString(block, value);
        }
        return [.. block];
    }

    private static void WriteString(List<byte> block, string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        WriteInteger(block, bytes.Length, prefixBits: 7, firstByteFlags: 0x00);
        block.AddRange(bytes);
    }

    /// <summary>RFC 7541 5.1 integer with an N-bit prefix.</summary>
    private static void WriteInteger(List<byte> block, int value, int prefixBits, byte firstByteFlags)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            block.Add((byte)(firstByteFlags | value));
            return;
        }
        block.Add((byte)(firstByteFlags | max));
        value -= max;
        while (value >= 0x80)
        {
            block.Add((byte)((value & 0x7F) | 0x80));
            value >>= 7;
        }
        block.Add((byte)value);
    }
}
