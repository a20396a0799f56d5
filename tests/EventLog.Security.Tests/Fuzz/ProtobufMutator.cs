using System.Collections;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace EventLog.Security.Tests.Fuzz;

/// <summary>Makes hostile request payloads: random bytes, mutated valid messages, random field values and protobuf bombs.</summary>
public sealed class ProtobufMutator(Random rng, Target target)
{
    private static readonly string[] NastyStrings =
    [
        "", " ", "' OR 1=1 --", "\"; DROP TABLE messages; --", "../../../../etc/passwd", "%00", "\0", "{0}{1}{name}{{", "\u202e\u0000\ufffd",
        "😀", "a\r\nInjected: header", "<script>alert(1)</script>", "${jndi:ldap://x}", "NaN", "-1", "9223372036854775808", "project-b", "ops",
    ];

    /// <summary>Payload bytes for one request of <paramref name="method"/>, and a name for the strategy.</summary>
    public (byte[] Payload, string Strategy) Next(MethodDescriptor method)
    {
        var valid = RequestFactory.Build(method, rng.Next(2) == 0 ? target : target.InProject(TestTokens.ProjectA))[0].ToByteArray();
        switch (rng.Next(10))
        {
            case 0:
                return (valid, "valid");
            case 1:
                return (RandomBytes(rng.Next(0, 400)), "random-bytes");
            case 2:
                return (FlipBits(valid), "bit-flips");
            case 3:
                return (valid.Length == 0 ? valid : valid[..rng.Next(valid.Length)], "truncated");
            case 4:
                return ([.. valid, .. RandomBytes(rng.Next(1, 64))], "garbage-appended");
            case 5:
                return (Bomb(), "bomb");
            default:
                return (RandomMessage(method.InputType, depth: 0).ToByteArray(), "random-values");
        }
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        rng.NextBytes(bytes);
        return bytes;
    }

    private byte[] FlipBits(byte[] valid)
    {
        var bytes = (byte[])valid.Clone();
        if (bytes.Length == 0)
        {
            return RandomBytes(8);
        }
        for (var i = rng.Next(1, 9); i > 0; i--)
        {
            bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8));
        }
        return bytes;
    }

    /// <summary>Structures that hurt naive parsers: deep groups, huge lengths, invalid tags and wire types.</summary>
    private byte[] Bomb()
    {
        var output = new MemoryStream();
        var writer = new CodedOutputStream(output);
        switch (rng.Next(6))
        {
            case 0:
                // Deeply nested unknown groups: parsers recurse into them.
                for (var i = 0; i < 20_000; i++)
                {
                    writer.WriteTag(99, WireFormat.WireType.StartGroup);
                }
                break;
            case 1:
                // A length-delimited field claiming 2 GiB.
                writer.WriteTag(2, WireFormat.WireType.LengthDelimited);
                writer.WriteUInt32(0x7FFF_FFFF);
                writer.WriteRawTag(1, 2, 3);
                break;
            case 2:
                // Field number 0 and wire types 6 and 7 are invalid.
                writer.WriteRawTag((byte)rng.Next(0, 8));
                writer.WriteRawTag((byte)((rng.Next(1, 15) << 3) | 6), 1, 2);
                writer.WriteRawTag((byte)((rng.Next(1, 15) << 3) | 7));
                break;
            case 3:
                // The largest field number, a 10-byte varint and an overlong one.
                writer.WriteTag(536_870_911, WireFormat.WireType.Varint);
                writer.WriteRawTag(0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
                writer.WriteRawTag(0xFF, 0xFF, 0xFF, 0xFF, 0x01);
                writer.WriteTag(3, WireFormat.WireType.Varint);
                writer.WriteRawTag(0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
                writer.WriteRawTag(0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
                writer.WriteRawTag(0xFF, 0x01);
                break;
            case 4:
                // Thousands of repeated unknown fields.
                for (var i = 0; i < 50_000; i++)
                {
                    writer.WriteTag(rng.Next(50, 1000), WireFormat.WireType.Varint);
                    writer.WriteInt64(rng.NextInt64());
                }
                break;
            default:
                // A string field holding invalid UTF-8.
                writer.WriteTag(1, WireFormat.WireType.LengthDelimited);
                writer.WriteBytes(ByteString.CopyFrom(0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80));
                break;
        }
        writer.Flush();
        return output.ToArray();
    }

    /// <summary>A message of the right type with hostile values in random fields.</summary>
    private IMessage RandomMessage(MessageDescriptor type, int depth)
    {
        var message = type.Parser.ParseFrom(ByteString.Empty);
        foreach (var field in type.Fields.InDeclarationOrder())
        {
            if (rng.Next(3) == 0)
            {
                continue;
            }
            if (field.IsMap)
            {
                var map = (IDictionary)field.Accessor.GetValue(message);
                var valueField = field.MessageType.FindFieldByNumber(2);
                for (var i = rng.Next(0, 4); i > 0; i--)
                {
                    var key = RandomString();
                    if (!map.Contains(key) && valueField.FieldType == FieldType.String)
                    {
                        map[key] = RandomString();
                    }
                }
                continue;
            }
            if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(message);
                var count = rng.Next(20) == 0 ? rng.Next(100, 2000) : rng.Next(0, 4);
                for (var i = 0; i < count; i++)
                {
                    if (RandomValue(field, depth) is { } element)
                    {
                        list.Add(element);
                    }
                }
                continue;
            }
            if (RandomValue(field, depth) is { } value)
            {
                field.Accessor.SetValue(message, value);
            }
        }
        return message;
    }

    private object? RandomValue(FieldDescriptor field, int depth) => field.FieldType switch
    {
        FieldType.String => RandomString(),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => RandomLong(),
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => (int)RandomLong(),
        FieldType.UInt64 or FieldType.Fixed64 => (ulong)RandomLong(),
        FieldType.UInt32 or FieldType.Fixed32 => (uint)RandomLong(),
        FieldType.Bool => rng.Next(2) == 0,
        FieldType.Bytes => ByteString.CopyFrom(RandomBytes(rng.Next(20) == 0 ? rng.Next(100_000, 1_000_000) : rng.Next(0, 300))),
        FieldType.Enum => rng.Next(-3, 20),
        FieldType.Double => rng.Next(4) switch { 0 => double.NaN, 1 => double.PositiveInfinity, 2 => -1e308, _ => rng.NextDouble() },
        FieldType.Float => (float)rng.NextDouble(),
        // Wrapper types (google.protobuf.BoolValue...) are nullable primitives in C#.
        FieldType.Message when field.MessageType.FullName.StartsWith("google.protobuf.", StringComparison.Ordinal) && field.MessageType.Name.EndsWith("Value", StringComparison.Ordinal) =>
            RandomValue(field.MessageType.FindFieldByNumber(1), depth),
        FieldType.Message when depth < 3 => RandomMessage(field.MessageType, depth + 1),
        _ => null,
    };

    private long RandomLong() => rng.Next(8) switch
    {
        0 => 0,
        1 => -1,
        2 => long.MaxValue,
        3 => long.MinValue,
        4 => int.MaxValue,
        5 => target.TaskId,
        6 => rng.Next(-1000, 1000),
        _ => rng.NextInt64(),
    };

    private string RandomString() => rng.Next(10) switch
    {
        0 => NastyStrings[rng.Next(NastyStrings.Length)],
        1 => new string('x', rng.Next(10_000, 300_000)),
        2 => new[] { target.MessageId, target.ClusterId, target.StepId, target.InstanceId, target.LogName, TestTokens.ProjectA, target.RequestId, "KCHVM0003L", "001", "America/Sao_Paulo", "pt-BR" }[rng.Next(11)],
        3 => RandomUnicode(rng.Next(1, 40)),
        _ => RandomAscii(rng.Next(0, 40)),
    };

    private string RandomAscii(int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append((char)rng.Next(0x20, 0x7F));
        }
        return text.ToString();
    }

    private string RandomUnicode(int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append((char)rng.Next(0, 0xFFFF));
        }
        return text.ToString();
    }
}
