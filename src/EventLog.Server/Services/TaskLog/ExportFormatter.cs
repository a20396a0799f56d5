using System.Globalization;
using System.Text;
using EventLog.Server.Catalog;
using EventLog.Storage.TaskLog;

namespace EventLog.Server.Services.TaskLog;

/// <summary>
/// Formats request entries as the text lines of Wok's request log file:
/// <c>[2016-08-12 11:49:55 BRT] TASK 1002 kimchi Failure on Kimchi task ID 100: ... (KCHVM0001E ...)</c>.
/// User and client IP follow the status when present (TASK entries have neither).
/// </summary>
public static class ExportFormatter
{
    /// <summary>One line, without its newline, in <paramref name="zone"/> and <paramref name="locale"/>.</summary>
    public static string Format(RequestLogEntry entry, ExportZone zone, MessageCatalog catalog, string? locale)
    {
        var (local, abbreviation) = zone.Convert(entry.OccurredAt);
        var line = new StringBuilder(160)
            .Append('[').Append(local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(' ').Append(abbreviation).Append("] ")
            .Append(entry.Kind).Append(' ').Append(entry.Status.ToString(CultureInfo.InvariantCulture)).Append(' ');
        if (entry.UserName.Length > 0)
        {
            line.Append(entry.UserName).Append(' ');
        }

        if (entry.ClientIp.Length > 0)
        {
            line.Append(entry.ClientIp).Append(' ');
        }

        var message = catalog.RenderRequest(entry.App, entry.MessageCode, ParamsJson.Parse(entry.MessageParams),
            entry.DetailCode, ParamsJson.Parse(entry.DetailParams), locale);
        return line.Append(entry.App).Append(' ').Append(OneLine(message)).ToString();
    }

    // A parameter with a newline must not split one entry over two lines of the file.
    private static string OneLine(string text) =>
        text.Contains('\n', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal)
            ? text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
            : text;
}
