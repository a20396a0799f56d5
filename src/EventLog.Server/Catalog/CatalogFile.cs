using System.Text.Json;

namespace EventLog.Server.Catalog;

/// <summary>
/// The JSON shape of a catalog file. Each table maps a locale (BCP 47, e.g. <c>en</c>, <c>pt-BR</c>) to
/// code → template; templates name parameters in braces, e.g. <c>failed to clone vm '{vm}'</c>.
/// </summary>
public sealed class CatalogFile
{
    /// <summary>Request log message and detail codes (Wok/Kimchi style, e.g. <c>WOKASYNC0002L</c>, <c>KCHVM0001E</c>).</summary>
    public Dictionary<string, Dictionary<string, string>> RequestMessages { get; set; } = [];

    /// <summary>User message action codes (Cinder style, e.g. <c>001</c> "schedule allocate volume").</summary>
    public Dictionary<string, Dictionary<string, string>> Actions { get; set; } = [];

    /// <summary>User message detail codes (Cinder style, e.g. <c>003</c> "Could not find any available weighted backend.").</summary>
    public Dictionary<string, Dictionary<string, string>> Details { get; set; } = [];

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads a catalog file; throws <see cref="InvalidOperationException"/> with the path on any problem.</summary>
    public static CatalogFile Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<CatalogFile>(stream, JsonOptions)
                ?? throw new InvalidOperationException($"Catalog file '{path}' is empty.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new InvalidOperationException($"Catalog file '{path}' cannot be read: {ex.Message}", ex);
        }
    }
}
