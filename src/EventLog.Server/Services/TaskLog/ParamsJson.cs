using System.Text.Json;

namespace EventLog.Server.Services.TaskLog;

/// <summary>Message parameters as stored (a JSON object) and as sent (a string map).</summary>
public static class ParamsJson
{
    /// <summary>Serialises a parameter map; null for none when <paramref name="nullWhenEmpty"/>.</summary>
    public static string? Serialize(IReadOnlyDictionary<string, string> parameters, bool nullWhenEmpty = false) =>
        parameters.Count == 0 && nullWhenEmpty ? null : JsonSerializer.Serialize(parameters);

    /// <summary>Reads a stored JSON object; non-string values (the task id of TASK entries) become their JSON text.</summary>
    public static Dictionary<string, string> Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            map[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
        }

        return map;
    }
}
