namespace EventLog.Client.Internal;

/// <summary>Splits log lines into batches small enough for one message each.</summary>
internal static class TaskLogBatches
{
    public const int MaxLines = 1000;
    public const int MaxBytes = 1024 * 1024;

    public static List<(long FirstLineNumber, List<string> Lines)> Split(IReadOnlyList<string> lines, long firstLineNumber)
    {
        var batches = new List<(long, List<string>)>();
        var current = new List<string>();
        var bytes = 0;
        var number = firstLineNumber;
        foreach (var line in lines)
        {
            var size = System.Text.Encoding.UTF8.GetByteCount(line) + 4;
            if (current.Count > 0 && (current.Count >= MaxLines || bytes + size > MaxBytes))
            {
                batches.Add((number, current));
                number = number > 0 ? number + current.Count : 0;
                current = [];
                bytes = 0;
            }
            current.Add(line);
            bytes += size;
        }
        if (current.Count > 0)
        {
            batches.Add((number, current));
        }
        return batches;
    }
}
