using System.Globalization;

namespace EventLog.Server.Catalog;

/// <summary>
/// Renders stored codes to text at read time (seeds 000 and 004): request log messages with their
/// failure detail, and user messages from an action and a detail code. Writes are checked against it
/// so that no free text reaches users.
/// </summary>
public sealed class MessageCatalog
{
    /// <summary>Builds the catalog from the built-in defaults and an optional deployer file on top.</summary>
    public MessageCatalog(CatalogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builtIn = CatalogDefaults.Create();
        var file = string.IsNullOrEmpty(options.Path) ? new CatalogFile() : CatalogFile.Load(options.Path);
        RequestMessages = new CatalogTable(options.DefaultLocale, builtIn.RequestMessages, file.RequestMessages);
        Actions = new CatalogTable(options.DefaultLocale, builtIn.Actions, file.Actions);
        Details = new CatalogTable(options.DefaultLocale, builtIn.Details, file.Details);
    }

    /// <summary>Request log message and detail codes.</summary>
    public CatalogTable RequestMessages { get; }

    /// <summary>User message action codes.</summary>
    public CatalogTable Actions { get; }

    /// <summary>User message detail codes.</summary>
    public CatalogTable Details { get; }

    /// <summary>
    /// A request log message as Wok's request log writes it: "Failure on Kimchi task ID 100: /plugins/kimchi/vms/name/clone
    /// (KCHVM0001E failed to clone vm 'name')". <c>{app}</c> is the app's display name unless given as a parameter.
    /// </summary>
    public string RenderRequest(string app, string messageCode, IReadOnlyDictionary<string, string> messageParams,
        string? detailCode, IReadOnlyDictionary<string, string> detailParams, string? locale)
    {
        var withApp = messageParams.ContainsKey("app")
            ? messageParams
            : new Dictionary<string, string>(messageParams) { ["app"] = DisplayName(app) };
        var text = Render(RequestMessages, messageCode, withApp, locale);
        return string.IsNullOrEmpty(detailCode) ? text : $"{text} ({detailCode} {RenderDetail(detailCode, detailParams, locale)})";
    }

    /// <summary>The text of a request log detail code alone ("failed to clone vm 'name'").</summary>
    public string RenderDetail(string detailCode, IReadOnlyDictionary<string, string> detailParams, string? locale) =>
        Render(RequestMessages, detailCode, detailParams, locale);

    /// <summary>A user message as in Cinder: "{action}: {detail}".</summary>
    public string RenderUserMessage(string actionCode, string detailCode, string? locale) =>
        $"{Actions.Find(actionCode, locale) ?? actionCode}: {Details.Find(detailCode, locale) ?? detailCode}";

    /// <summary>"kimchi" → "Kimchi", as Wok names plugins in its messages.</summary>
    public static string DisplayName(string app) =>
        app.Length == 0 ? app : char.ToUpper(app[0], CultureInfo.InvariantCulture) + app[1..];

    // A code removed from the file after rows were stored still renders, as the code and its parameters.
    private static string Render(CatalogTable table, string code, IReadOnlyDictionary<string, string> parameters, string? locale) =>
        table.Find(code, locale) is { } template
            ? CatalogTemplate.Render(template, parameters)
            : code + (parameters.Count == 0 ? "" : " " + string.Join(", ", parameters.Select(p => $"{p.Key}={p.Value}")));
}
