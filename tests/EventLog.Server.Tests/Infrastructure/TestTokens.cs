using EventLog.Server.Auth;

namespace EventLog.Server.Tests.Infrastructure;

/// <summary>The tokens every in-process test server knows: project A and B principals plus an admin.</summary>
public static class TestTokens
{
    public const string ProjectA = "project-a";
    public const string ProjectB = "project-b";

    public const string Admin = "admin-token";
    public const string ReaderA = "reader-a-token";
    public const string MemberA = "member-a-token";
    public const string AgentA = "agent-a-token";
    public const string ReaderB = "reader-b-token";
    public const string MemberB = "member-b-token";
    public const string AgentB = "agent-b-token";

    /// <summary>(token, name, project, roles) for the configuration.</summary>
    public static IReadOnlyList<(string Token, string Name, string Project, string Roles)> All { get; } =
    [
        (Admin, "admin", "ops", "admin"),
        (ReaderA, "reader-a", ProjectA, "reader"),
        (MemberA, "member-a", ProjectA, "member,reader"),
        (AgentA, "agent-a", ProjectA, "agent"),
        (ReaderB, "reader-b", ProjectB, "reader"),
        (MemberB, "member-b", ProjectB, "member,reader"),
        (AgentB, "agent-b", ProjectB, "agent"),
    ];

    /// <summary>Configuration entries for <see cref="All"/>, hashed as the server expects.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Configuration()
    {
        for (var i = 0; i < All.Count; i++)
        {
            var (token, name, project, roles) = All[i];
            yield return new($"Auth:Tokens:{i}:Name", name);
            yield return new($"Auth:Tokens:{i}:Sha256", TokenStore.Hash(token));
            yield return new($"Auth:Tokens:{i}:Project", project);
            var roleNames = roles.Split(',');
            for (var r = 0; r < roleNames.Length; r++)
            {
                yield return new($"Auth:Tokens:{i}:Roles:{r}", roleNames[r]);
            }
        }
    }
}
