using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace EventLog.Cli.Output;

/// <summary>
/// Writes records for other tools: JSON Lines (one protobuf JSON object per line, every field present) or CSV
/// (RFC 4180: a header row, fields quoted when they hold a comma, quote or line break, CRLF line ends).
/// </summary>
internal static class Export
{
    public const string JsonLines = "jsonl";
    public const string Csv = "csv";
    public static readonly string[] Formats = [JsonLines, Csv];

    /// <summary>One column of a CSV export: its header and how a record fills it.</summary>
    public sealed record Column<T>(string Name, Func<T, object?> Value);

    /// <summary>
    /// Writes <paramref name="records"/> to <paramref name="path"/> (standard output when null) as
    /// <paramref name="format"/>; a file is written under a temporary name and moved into place when complete.
    /// Returns how many records were written.
    /// </summary>
    public static async Task<long> WriteAsync<T>(TextWriter stdout, string? path, string format, IAsyncEnumerable<T> records, IReadOnlyList<Column<T>> columns, CancellationToken ct)
        where T : IMessage
    {
        if (path is null)
        {
            return await WriteToAsync(stdout, format, records, columns, ct);
        }

        var partial = path + ".partial";
        try
        {
            long count;
            await using (var file = new StreamWriter(partial, append: false, new UTF8Encoding(false)))
            {
                count = await WriteToAsync(file, format, records, columns, ct);
            }
            File.Move(partial, path, overwrite: true);
            return count;
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    private static async Task<long> WriteToAsync<T>(TextWriter writer, string format, IAsyncEnumerable<T> records, IReadOnlyList<Column<T>> columns, CancellationToken ct)
        where T : IMessage
    {
        var csv = format == Csv;
        if (csv)
        {
            await writer.WriteAsync(Row(columns.Select(c => c.Name)));
        }
        var count = 0L;
        await foreach (var record in records.WithCancellation(ct))
        {
            if (csv)
            {
                await writer.WriteAsync(Row(columns.Select(c => Field(c.Value(record)))));
            }
            else
            {
                Json.WriteLine(writer, record);
            }
            count++;
        }
        await writer.FlushAsync(ct);
        return count;
    }

    private static string Row(IEnumerable<string> fields) => string.Join(',', fields.Select(Quote)) + "\r\n";

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Times in ISO 8601 UTC, numbers and booleans invariant, enums by name, unset as empty.</summary>
    private static string Field(object? value) => value switch
    {
        null => "",
        Timestamp t => t.ToDateTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
