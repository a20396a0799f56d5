using System.Text;
using System.Text.Json;

namespace EventLog.Storage.PostgreSql;

/// <summary>
/// What a PostgreSQL commit tells the other processes through NOTIFY: the instance that committed (which
/// ignores its own announcements, having woken its waiters already) and each touched stream with its last
/// sequence after the commit (0 for a touch only), as JSON.
/// </summary>
internal sealed record CommitAnnouncement(string From, Dictionary<string, long> Streams)
{
    /// <summary>The LISTEN/NOTIFY channel every process of one database shares.</summary>
    public const string Channel = "eventlog_commits";

    // A NOTIFY payload must stay under 8000 bytes. A key is counted at six bytes a UTF-8 byte (the longest JSON
    // escape), so a payload never reaches the limit however its keys are escaped.
    private const int MaxPayloadBytes = 7000;

    /// <summary>The payloads announcing <paramref name="streams"/>: one unless the keys are too long for one.</summary>
    public static List<string> Encode(string from, IReadOnlyDictionary<string, long> streams)
    {
        var payloads = new List<string>();
        var batch = new Dictionary<string, long>(StringComparer.Ordinal);
        var bytes = 0;
        foreach (var (key, lastSequence) in streams)
        {
            var size = (Encoding.UTF8.GetByteCount(key) * 6) + 32;
            if (batch.Count > 0 && bytes + size > MaxPayloadBytes)
            {
                payloads.Add(JsonSerializer.Serialize(new CommitAnnouncement(from, batch)));
                batch = new Dictionary<string, long>(StringComparer.Ordinal);
                bytes = 0;
            }

            batch[key] = lastSequence;
            bytes += size;
        }

        if (batch.Count > 0)
        {
            payloads.Add(JsonSerializer.Serialize(new CommitAnnouncement(from, batch)));
        }

        return payloads;
    }

    /// <summary>The announcement in <paramref name="payload"/>, or null when it is not one (another program's NOTIFY).</summary>
    public static CommitAnnouncement? TryDecode(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<CommitAnnouncement>(payload) is { From: not null, Streams: not null } announcement
                ? announcement
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
