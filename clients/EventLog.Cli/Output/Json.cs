using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf;

namespace EventLog.Cli.Output;

/// <summary>JSON for scripts: protobuf's canonical JSON mapping, default values included.</summary>
internal static class Json
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One message, indented.</summary>
    public static void Write(TextWriter writer, IMessage message) => writer.WriteLine(Indent(Formatter.Format(message)));

    /// <summary>A list of messages as one indented array.</summary>
    public static void WriteArray(TextWriter writer, IEnumerable<IMessage> messages) =>
        writer.WriteLine(Indent("[" + string.Join(",", messages.Select(m => Formatter.Format(m))) + "]"));

    /// <summary>One message on one line (JSON Lines, for streams).</summary>
    public static void WriteLine(TextWriter writer, IMessage message) => writer.WriteLine(Formatter.Format(message));

    /// <summary>Any value on one line (JSON Lines).</summary>
    public static void WriteValueLine<T>(TextWriter writer, T value) => writer.WriteLine(JsonSerializer.Serialize(value, Compact));

    /// <summary>Any value, indented.</summary>
    public static void WriteValue<T>(TextWriter writer, T value) => writer.WriteLine(JsonSerializer.Serialize(value, Indented));

    private static string Indent(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement, Indented);
    }
}
