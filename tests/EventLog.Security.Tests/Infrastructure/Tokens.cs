using EventLog.Server.Auth;

namespace EventLog.Security.Tests.Infrastructure;

/// <summary>The principals of the tests: readers, members and agents of projects A and B, and an admin.</summary>
public static class Tokens
{
    public const string ProjectA = "project-a";
    public const string ProjectB = "project-b";

    public const string Admin = "sec-admin-token-0b8f";
    public const string ReaderA = "sec-reader-a-token-71c2";
    public const string MemberA = "sec-member-a-token-9d04";
    public const string AgentA = "sec-agent-a-token-5e6a";
    public const string ReaderB = "sec-reader-b-token-c3f9";
    public const string MemberB = "sec-member-b-token-2a7e";
    public const string AgentB = "sec-agent-b-token-88d1";

    /// <summary>(token, name, project, roles).</summary>
    public static IReadOnlyList<(string Token, string Name, string Project, string[] Roles)> All { get; } =
    [
        (Admin, "admin", "ops", ["admin"]),
        (ReaderA, "reader-a", ProjectA, ["reader"]),
        (MemberA, "member-a", ProjectA, ["member", "reader"]),
        (AgentA, "agent-a", ProjectA, ["agent"]),
        (ReaderB, "reader-b", ProjectB, ["reader"]),
        (MemberB, "member-b", ProjectB, ["member", "reader"]),
        (AgentB, "agent-b", ProjectB, ["agent"]),
    ];

    /// <summary>The configuration keys for <see cref="All"/> (hashed), with <paramref name="separator"/> ':' for in-memory configuration or "__" for environment variables.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Configuration(string separator = ":")
    {
        for (var i = 0; i < All.Count; i++)
        {
            var (token, name, project, roles) = All[i];
            var prefix = string.Join(separator, "Auth", "Tokens", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            yield return new(prefix + separator + "Name", name);
            yield return new(prefix + separator + "Sha256", TokenStore.Hash(token));
            yield return new(prefix + separator + "Project", project);
            for (var r = 0; r < roles.Length; r++)
            {
                yield return new(prefix + separator + "Roles" + separator + r.ToString(System.Globalization.CultureInfo.InvariantCulture), roles[r]);
            }
        }
    }
}
