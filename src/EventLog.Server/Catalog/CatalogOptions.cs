namespace EventLog.Server.Catalog;

/// <summary>Message catalog settings, bound from the <c>Catalog</c> configuration section.</summary>
public sealed class CatalogOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Catalog";

    /// <summary>
    /// Path of a deployer's JSON catalog file merged over the built-in one code by code (same shape as
    /// <see cref="CatalogFile"/>: <c>requestMessages</c>, <c>actions</c>, <c>details</c>, each locale → code → template):
    /// a code it names replaces the built-in template of that locale, a new code becomes valid for writes. The file
    /// is checked at startup (<see cref="CatalogFileRules"/>); a missing, malformed or invalid file fails startup
    /// with a message naming the file and every problem. Default empty: built-in catalog only.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>Locale used when a caller names none or one the catalog lacks. Default <c>en</c>.</summary>
    public string DefaultLocale { get; set; } = "en";
}
