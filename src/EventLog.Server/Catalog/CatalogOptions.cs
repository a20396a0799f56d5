namespace EventLog.Server.Catalog;

/// <summary>Message catalog settings, bound from the <c>Catalog</c> configuration section.</summary>
public sealed class CatalogOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Catalog";

    /// <summary>
    /// Path of a deployer's JSON catalog file merged over the built-in one (same shape as
    /// <see cref="CatalogFile"/>: <c>requestMessages</c>, <c>actions</c>, <c>details</c>, each locale → code → template).
    /// Default empty: built-in catalog only.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>Locale used when a caller names none or one the catalog lacks. Default <c>en</c>.</summary>
    public string DefaultLocale { get; set; } = "en";
}
