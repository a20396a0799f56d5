using System.CommandLine;
using EventLog.Client;

namespace EventLog.Cli;

/// <summary>The options every command takes: where the server is, who the caller is, how to print.</summary>
internal static class GlobalOptions
{
    public const string AddressVariable = "EVENTLOG_ADDRESS";
    public const string TokenVariable = "EVENTLOG_TOKEN";

    public static readonly Option<string?> Address = new("--address")
    {
        Description = $"Server address [env: {AddressVariable}, default: {EventLogClientOptions.DefaultAddress}]",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = $"Bearer token [env: {TokenVariable}]",
        Recursive = true,
    };

    public static readonly Option<string?> Project = new("--project")
    {
        Description = "Project to act on (admin tokens only); default: the token's project",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON for scripts instead of tables (JSON Lines for streams)",
        Recursive = true,
    };

    /// <summary>Added to the commands that print text the server renders from its catalog (<see cref="WithLocale"/>).</summary>
    public static readonly Option<string?> Locale = new("--locale")
    {
        Description = "BCP 47 locale of the text the server renders from its message catalog, e.g. pt-BR; default: the server's",
    };

    /// <summary>Added to the lists an admin may run over every project (<see cref="WithAllProjects"/>).</summary>
    public static readonly Option<bool> AllProjects = new("--all-projects")
    {
        Description = "Every project's, not one project's (admin tokens only)",
    };

    /// <summary>Adds <see cref="Locale"/> to <paramref name="command"/>.</summary>
    public static Command WithLocale(this Command command)
    {
        command.Options.Add(Locale);
        return command;
    }

    /// <summary>Adds <see cref="AllProjects"/> to <paramref name="command"/>.</summary>
    public static Command WithAllProjects(this Command command)
    {
        command.Options.Add(AllProjects);
        return command;
    }

    public static void AddTo(Command root)
    {
        root.Options.Add(Address);
        root.Options.Add(Token);
        root.Options.Add(Project);
        root.Options.Add(Json);
    }

    public static EventLogClientOptions ClientOptions(ParseResult parse)
    {
        var address = parse.GetValue(Address) ?? Environment.GetEnvironmentVariable(AddressVariable);
        if (string.IsNullOrWhiteSpace(address))
        {
            address = EventLogClientOptions.DefaultAddress;
        }
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"The address '{address}' is not an absolute http:// or https:// URI.");
        }
        return new EventLogClientOptions
        {
            Address = uri,
            Token = parse.GetValue(Token) ?? Environment.GetEnvironmentVariable(TokenVariable),
            Project = parse.GetValue(Project) ?? "",
            Locale = parse.GetValue(Locale) ?? "",
        };
    }
}
