using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EventLog.Tests.Shared;

/// <summary>One principal a server is configured with: its bearer token, name, project and roles.</summary>
public sealed record TestPrincipal(string Token, string Name, string Project, string[] Roles)
{
    /// <summary>Deconstructs into the four parts, so tests can write <c>foreach (var (token, name, _, _) in ...)</c>.</summary>
    public void Deconstruct(out string token, out string name, out string project, out string[] roles) =>
        (token, name, project, roles) = (Token, Name, Project, Roles);
}

/// <summary>
/// The principals every test server knows: a reader, a member and an agent of projects A and B, and an admin.
/// The tokens look like secrets (a random-looking tail) so that a test searching logs for them cannot be
/// fooled by a name or a word that happens to match. The server only ever gets their SHA-256 hashes,
/// as an operator configures it.
/// </summary>
public static class TestTokens
{
    public const string ProjectA = "project-a";
    public const string ProjectB = "project-b";

    public const string Admin = "kit-admin-token-0b8f";
    public const string ReaderA = "kit-reader-a-token-71c2";
    public const string MemberA = "kit-member-a-token-9d04";

    /// <summary>
    /// An agent of project A. It holds the agent role only; any role grants reading its own project, so it reads
    /// what it writes (the SDK and CLI tests' agent once also held the reader role, which grants nothing more).
    /// </summary>
    public const string AgentA = "kit-agent-a-token-5e6a";
    public const string ReaderB = "kit-reader-b-token-c3f9";
    public const string MemberB = "kit-member-b-token-2a7e";
    public const string AgentB = "kit-agent-b-token-88d1";

    /// <summary>Every principal, in the order of their configuration entries.</summary>
    public static IReadOnlyList<TestPrincipal> All { get; } =
    [
        new(Admin, "admin", "ops", ["admin"]),
        new(ReaderA, "reader-a", ProjectA, ["reader"]),
        new(MemberA, "member-a", ProjectA, ["member", "reader"]),
        new(AgentA, "agent-a", ProjectA, ["agent"]),
        new(ReaderB, "reader-b", ProjectB, ["reader"]),
        new(MemberB, "member-b", ProjectB, ["member", "reader"]),
        new(AgentB, "agent-b", ProjectB, ["agent"]),
    ];

    /// <summary>The SHA-256 of a token as the server's configuration holds it (lowercase hex).</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>
    /// Configuration entries (Auth:Tokens:n:...) for <paramref name="principals"/> (default <see cref="All"/>), with
    /// <paramref name="separator"/> ':' for in-memory configuration or "__" for environment variables.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> Configuration(string separator = ":", IEnumerable<TestPrincipal>? principals = null)
    {
        var i = 0;
        foreach (var (token, name, project, roles) in principals ?? All)
        {
            var prefix = string.Join(separator, "Auth", "Tokens", i.ToString(CultureInfo.InvariantCulture)) + separator;
            yield return new(prefix + "Name", name);
            yield return new(prefix + "Sha256", Hash(token));
            yield return new(prefix + "Project", project);
            for (var r = 0; r < roles.Length; r++)
            {
                yield return new(prefix + "Roles" + separator + r.ToString(CultureInfo.InvariantCulture), roles[r]);
            }
            i++;
        }
    }

    /// <summary>
    /// Environment variables of a server process in production auth mode that knows <paramref name="principals"/>
    /// (default <see cref="All"/>) and no development token.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> Environment(IEnumerable<TestPrincipal>? principals = null)
    {
        yield return new("Auth__Mode", "Production");
        yield return new("Auth__DevelopmentToken", null);
        foreach (var entry in Configuration("__", principals))
        {
            yield return entry;
        }
    }

    /// <summary>
    /// An agent and a reader for each of <paramref name="projects"/> projects named by <paramref name="project"/>,
    /// for load generators that spread over projects. The tokens end in a random tail, new for each run.
    /// </summary>
    public static ProjectTokens PerProject(string prefix, int projects, Func<int, string> project) => new(prefix, projects, project);
}

/// <summary>An agent and a reader token per project (<see cref="TestTokens.PerProject"/>).</summary>
public sealed class ProjectTokens
{
    private readonly string _prefix;
    private readonly string _suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private readonly Func<int, string> _project;

    internal ProjectTokens(string prefix, int projects, Func<int, string> project)
    {
        _prefix = prefix;
        _project = project;
        All = [.. Enumerable.Range(0, projects).SelectMany(p => new TestPrincipal[]
        {
            new(Agent(p), $"agent-{p}", project(p), ["agent"]),
            new(Reader(p), $"reader-{p}", project(p), ["reader"]),
        })];
    }

    /// <summary>The principals, agent then reader of each project.</summary>
    public IReadOnlyList<TestPrincipal> All { get; }

    /// <summary>The project of index <paramref name="p"/>.</summary>
    public string Project(int p) => _project(p);

    /// <summary>The agent token of project <paramref name="p"/>.</summary>
    public string Agent(int p) => $"{_prefix}-agent-{p}-{_suffix}";

    /// <summary>The reader token of project <paramref name="p"/>.</summary>
    public string Reader(int p) => $"{_prefix}-reader-{p}-{_suffix}";

    /// <summary>Environment variables of a server process in production auth mode with these tokens.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Environment() => TestTokens.Environment(All);
}
