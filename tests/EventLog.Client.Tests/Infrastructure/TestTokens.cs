using EventLog.Server.Auth;

namespace EventLog.Client.Tests.Infrastructure;

/// <summary>The tokens every in-process server knows: an admin, and a member and an agent of one project.</summary>
public static class TestTokens
{
    public const string Project = "project-a";
    public const string Admin = "admin-token";
    public const string Member = "member-a-token";
    public const string Agent = "agent-a-token";
    public const string Reader = "reader-a-token";

    private static readonly (string Token, string Name, string Project, string[] Roles)[] All =
    [
        (Admin, "admin", "ops", ["admin"]),
        (Member, "member-a", Project, ["member", "reader"]),
        (Agent, "agent-a", Project, ["agent", "reader"]),
        (Reader, "reader-a", Project, ["reader"]),
    ];

    /// <summary>Configuration entries for the tokens, hashed as the server expects.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Configuration()
    {
        for (var i = 0; i < All.Length; i++)
        {
            var (token, name, project, roles) = All[i];
            yield return new($"Auth:Tokens:{i}:Name", name);
            yield return new($"Auth:Tokens:{i}:Sha256", TokenStore.Hash(token));
            yield return new($"Auth:Tokens:{i}:Project", project);
            for (var r = 0; r < roles.Length; r++)
            {
                yield return new($"Auth:Tokens:{i}:Roles:{r}", roles[r]);
            }
        }
    }
}
