using System.Text;

namespace EventLog.Interop.Tests.Malformed.Http2;

/// <summary>
/// The decoding side of HPACK (RFC 7541) for one connection's response header blocks: indexed fields,
/// the three literal forms, the dynamic table and its size updates. Huffman-coded strings are refused
/// with a clear error: Kestrel's encoder writes every string raw, and a test should notice if it stops.
/// </summary>
public sealed class HpackDecoder
{
    // RFC 7541 Appendix A; index 1 is StaticTable[0].
    private static readonly (string Name, string Value)[] StaticTable =
    [
        (":authority", ""), (":method", "GET"), (":method", "POST"), (":path", "/"), (":path", "/index.html"),
        (":scheme", "http"), (":scheme", "https"), (":status", "200"), (":status", "204"), (":status", "206"),
        (":status", "304"), (":status", "400"), (":status", "404"), (":status", "500"), ("accept-charset", ""),
        ("accept-encoding", "gzip, deflate"), ("accept-language", ""), ("accept-ranges", ""), ("accept", ""),
        ("access-control-allow-origin", ""), ("age", ""), ("allow", ""), ("authorization", ""), ("cache-control", ""),
        ("content-disposition", ""), ("content-encoding", ""), ("content-language", ""), ("content-length", ""),
        ("content-location", ""), ("content-range", ""), ("content-type", ""), ("cookie", ""), ("date", ""),
        ("etag", ""), ("expect", ""), ("expires", ""), ("from", ""), ("host", ""), ("if-match", ""),
        ("if-modified-since", ""), ("if-none-match", ""), ("if-range", ""), ("if-unmodified-since", ""),
        ("last-modified", ""), ("link", ""), ("location", ""), ("max-forwards", ""), ("proxy-authenticate", ""),
        ("proxy-authorization", ""), ("range", ""), ("referer", ""), ("refresh", ""), ("retry-after", ""),
        ("server", ""), ("set-cookie", ""), ("strict-transport-security", ""), ("transfer-encoding", ""),
        ("user-agent", ""), ("vary", ""), ("via", ""), ("www-authenticate", ""),
    ];

    // Newest first: dynamic index 62 is _dynamic[0].
    private readonly List<(string Name, string Value)> _dynamic = [];
    private readonly int _allowedTableSize;
    private int _maxTableSize;
    private int _tableSize;

    /// <summary>A decoder whose dynamic table may grow to <paramref name="allowedTableSize"/> (our SETTINGS_HEADER_TABLE_SIZE).</summary>
    public HpackDecoder(int allowedTableSize = 4096)
    {
        _allowedTableSize = allowedTableSize;
        _maxTableSize = allowedTableSize;
    }

    /// <summary>Decodes one complete header block (HEADERS plus any CONTINUATION fragments).</summary>
    public List<(string Name, string Value)> Decode(ReadOnlySpan<byte> block)
    {
        var fields = new List<(string, string)>();
        var position = 0;
        while (position < block.Length)
        {
            var first = block[position];
            if ((first & 0x80) != 0)
            {
                fields.Add(Lookup(ReadInteger(block, ref position, 7)));
            }
            else if ((first & 0xC0) == 0x40)
            {
                var field = ReadLiteral(block, ref position, 6);
                fields.Add(field);
                Insert(field);
            }
            else if ((first & 0xE0) == 0x20)
            {
                var size = ReadInteger(block, ref position, 5);
                if (size > _allowedTableSize)
                {
                    throw new InvalidDataException($"HPACK table size update to {size}, above the {_allowedTableSize} we allowed.");
                }
                _maxTableSize = size;
                Evict();
            }
            else
            {
                // 0000xxxx without indexing, 0001xxxx never indexed: the same for a decoder.
                fields.Add(ReadLiteral(block, ref position, 4));
            }
        }
        return fields;
    }

    private (string Name, string Value) ReadLiteral(ReadOnlySpan<byte> block, ref int position, int prefixBits)
    {
        var index = ReadInteger(block, ref position, prefixBits);
        var name = index == 0 ? ReadString(block, ref position) : Lookup(index).Name;
        return (name, ReadString(block, ref position));
    }

    private (string Name, string Value) Lookup(int index)
    {
        if (index >= 1 && index <= StaticTable.Length)
        {
            return StaticTable[index - 1];
        }
        var dynamicIndex = index - StaticTable.Length - 1;
        if (index == 0 || dynamicIndex >= _dynamic.Count)
        {
            throw new InvalidDataException($"HPACK index {index} is outside the tables ({_dynamic.Count} dynamic entries).");
        }
        return _dynamic[dynamicIndex];
    }

    private void Insert((string Name, string Value) field)
    {
        _dynamic.Insert(0, field);
        _tableSize += EntrySize(field);
        Evict();
    }

    private void Evict()
    {
        while (_tableSize > _maxTableSize && _dynamic.Count > 0)
        {
            _tableSize -= EntrySize(_dynamic[^1]);
            _dynamic.RemoveAt(_dynamic.Count - 1);
        }
    }

    // RFC 7541 4.1: octets of name and value plus 32.
    private static int EntrySize((string Name, string Value) field) => Encoding.Latin1.GetByteCount(field.Name) + Encoding.Latin1.GetByteCount(field.Value) + 32;

    private static string ReadString(ReadOnlySpan<byte> block, ref int position)
    {
        if (position >= block.Length)
        {
            throw new InvalidDataException("HPACK string literal cut off.");
        }
        var huffman = (block[position] & 0x80) != 0;
        var length = ReadInteger(block, ref position, 7);
        if (huffman)
        {
            throw new NotSupportedException("The server sent a Huffman-coded HPACK string; this test decoder expects raw strings (Kestrel writes no Huffman).");
        }
        if (position + length > block.Length)
        {
            throw new InvalidDataException($"HPACK string of {length} bytes runs past the block.");
        }
        // Header values are octets: Latin-1 keeps every byte as one char.
        var value = Encoding.Latin1.GetString(block.Slice(position, length));
        position += length;
        return value;
    }

    /// <summary>RFC 7541 5.1: an integer in the low <paramref name="prefixBits"/> of the current byte, continued in 7-bit groups.</summary>
    private static int ReadInteger(ReadOnlySpan<byte> block, ref int position, int prefixBits)
    {
        var mask = (1 << prefixBits) - 1;
        var value = block[position++] & mask;
        if (value < mask)
        {
            return value;
        }
        for (var shift = 0; ; shift += 7)
        {
            if (position >= block.Length || shift > 28)
            {
                throw new InvalidDataException("HPACK integer cut off or too large.");
            }
            var next = block[position++];
            value += (next & 0x7F) << shift;
            if ((next & 0x80) == 0)
            {
                return value;
            }
        }
    }
}
