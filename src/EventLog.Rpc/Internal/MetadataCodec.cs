using Grpc.Core;

namespace EventLog.Rpc.Internal;

/// <summary>Turns HTTP header values into metadata entries and back (-bin values are base64).</summary>
internal static class MetadataCodec
{
    /// <summary>Adds one received header to metadata; returns false when the value is not valid for its key.</summary>
    public static bool TryAdd(Metadata metadata, string name, string value)
    {
        try
        {
            if (Metadata.Entry.IsBinaryKey(name))
            {
                // Peers may send several values joined by commas, and padding is optional.
                foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
                {
                    metadata.Add(name, DecodeBase64(part));
                }
            }
            else
            {
                metadata.Add(name, value);
            }
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static string ToHeaderValue(Metadata.Entry entry) =>
        entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes) : entry.Value;

    public static byte[] DecodeBase64(string value)
    {
        var padded = value.Replace('-', '+').Replace('_', '/');
        switch (padded.Length % 4)
        {
            case 2: padded += "=="; break;
            case 3: padded += "="; break;
        }
        return Convert.FromBase64String(padded);
    }
}
