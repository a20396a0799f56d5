using Google.Protobuf.Collections;

namespace EventLog.Client.Internal;

internal static class LineBatches
{
    /// <summary>
    /// Drops the lines of a batch numbered at or below <paramref name="lastLine"/> (already delivered before a
    /// reconnect), moves <paramref name="firstLineNumber"/> to the first line kept and advances
    /// <paramref name="lastLine"/>; returns whether any line is left.
    /// </summary>
    public static bool Trim(ref long firstLineNumber, RepeatedField<string> lines, ref long lastLine)
    {
        var duplicates = lastLine - firstLineNumber + 1;
        if (lines.Count == 0 || duplicates >= lines.Count)
        {
            return false;
        }
        if (duplicates > 0)
        {
            var kept = lines.Skip((int)duplicates).ToArray();
            lines.Clear();
            lines.AddRange(kept);
            firstLineNumber += duplicates;
        }
        lastLine = firstLineNumber + lines.Count - 1;
        return true;
    }
}
