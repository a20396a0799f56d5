namespace EventLog.Interop.Tests.Hosting;

/// <summary>
/// The bearer tokens a host started in production auth mode accepts: an admin and a reader of one project, so the
/// peers can show a reader refused a write in the project the admin writes to. The host gets their SHA-256 hashes
/// (<see cref="TestTokens.Environment"/>), as an operator configures it.
/// </summary>
public static class InteropTokens
{
    /// <summary>The project both tokens belong to.</summary>
    public const string Project = "interop";

    /// <summary>An admin: may write and name any project.</summary>
    public const string Admin = "interop-admin-4f1d9c";

    /// <summary>A reader of <see cref="Project"/>: writes are PERMISSION_DENIED.</summary>
    public const string Reader = "interop-reader-8b27e0";

    private static readonly TestPrincipal[] All = [new(Admin, "interop-admin", Project, ["admin"]), new(Reader, "interop-reader", Project, ["reader"])];

    /// <summary>Environment variables of the host (double underscores are configuration sections).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Environment() => TestTokens.Environment(All);
}
