using System.Text;
using Google.Protobuf;

namespace EventLog.Security.Tests.Isolation;

/// <summary>Looks for project A's data in raw response bytes (strings and bytes fields are stored verbatim in protobuf).</summary>
public static class LeakCheck
{
    private static readonly byte[][] Markers = [Encoding.UTF8.GetBytes(ProjectAFixture.Secret), Encoding.UTF8.GetBytes(TestTokens.ProjectA)];

    /// <summary>Fails when any response carries project A's name or secret data.</summary>
    public static void AssertNoProjectAData(CallOutcome outcome, string call)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        foreach (var response in outcome.Responses)
        {
            var bytes = response.ToByteArray();
            foreach (var marker in Markers)
            {
                Assert.True(bytes.AsSpan().IndexOf(marker) < 0, $"{call} leaked project A data ({Encoding.UTF8.GetString(marker)}): {response}");
            }
        }
        Assert.DoesNotContain(ProjectAFixture.Secret, outcome.Detail, StringComparison.Ordinal);
    }
}
