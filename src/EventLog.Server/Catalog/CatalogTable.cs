namespace EventLog.Server.Catalog;

/// <summary>One table of a catalog: code → template per locale, with locale fallback.</summary>
public sealed class CatalogTable
{
    private readonly Dictionary<string, Dictionary<string, string>> _locales = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _codes = new(StringComparer.Ordinal);
    private readonly string _defaultLocale;

    /// <summary>Builds the table from layers applied in order (later layers override earlier ones per code).</summary>
    public CatalogTable(string defaultLocale, params IEnumerable<Dictionary<string, Dictionary<string, string>>> layers)
    {
        _defaultLocale = defaultLocale;
        foreach (var layer in layers)
        {
            foreach (var (locale, templates) in layer)
            {
                if (!_locales.TryGetValue(locale, out var table))
                {
                    _locales[locale] = table = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                foreach (var (code, template) in templates)
                {
                    table[code] = template;
                    _codes.Add(code);
                }
            }
        }
    }

    /// <summary>Every code known in at least one locale.</summary>
    public IReadOnlyCollection<string> Codes => _codes;

    /// <summary>True when <paramref name="code"/> exists in some locale.</summary>
    public bool Contains(string code) => _codes.Contains(code);

    /// <summary>
    /// The template for <paramref name="code"/>: the exact locale, its language ("pt" for "pt-BR"), a region of
    /// the language ("pt-BR" for "pt"), the default locale, then any locale. Null for an unknown code.
    /// </summary>
    public string? Find(string code, string? locale)
    {
        if (!string.IsNullOrEmpty(locale))
        {
            if (Lookup(locale, code) is { } exact)
            {
                return exact;
            }

            var language = locale.Split('-', '_')[0];
            if (Lookup(language, code) is { } byLanguage)
            {
                return byLanguage;
            }

            foreach (var (name, table) in _locales)
            {
                if (name.StartsWith(language + "-", StringComparison.OrdinalIgnoreCase) && table.TryGetValue(code, out var regional))
                {
                    return regional;
                }
            }
        }

        return Lookup(_defaultLocale, code) ?? _locales.Values.Select(t => t.GetValueOrDefault(code)).FirstOrDefault(t => t is not null);
    }

    private string? Lookup(string locale, string code) =>
        _locales.TryGetValue(locale, out var table) && table.TryGetValue(code, out var template) ? template : null;
}
