using System.Text.Json;
using System.Text.Json.Serialization;

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

    // A misspelt section ("requestMessage") is an error, not a file that silently changes nothing.
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>
    /// Reads and checks a catalog file (<see cref="CatalogFileRules"/>); throws <see cref="InvalidOperationException"/>
    /// naming the path and every problem.
    /// </summary>
    public static CatalogFile Load(string path)
    {
        CatalogFile? file;
        try
        {
            using var stream = File.OpenRead(path);
            file = JsonSerializer.Deserialize<CatalogFile>(stream, JsonOptions);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new InvalidOperationException($"Catalog file '{path}' cannot be read: {ex.Message}", ex);
        }

        if (file is null)
        {
            throw new InvalidOperationException($"Catalog file '{path}' is empty (null); write {{}} for no entries.");
        }

        var problems = CatalogFileRules.Check(file);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"Catalog file '{path}' is invalid: {string.Join("; ", problems)}");
        }

        return file;
    }
}
