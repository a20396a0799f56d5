using System.Text;
using System.Text.RegularExpressions;
using EventLog.Tests.Shared;
using EventLog.V1;

namespace EventLog.Client.Tests;

/// <summary>
/// Every C# snippet of clients/README.md compiles and runs against a server set up as in the quick start
/// (development token <c>quickstart-token</c>, a finished task on <c>/demo/hello</c>).
/// </summary>
// Both build a project that references the SDK, which builds the SDK in this tree: one at a time.
[Collection(nameof(SdkBuilds))]
public sealed partial class ReadmeSnippetsTests
{
    [Fact]
    public async Task EverySnippet_CompilesAndRuns()
    {
        var root = Commands.RepositoryRoot();
        var readme = await File.ReadAllTextAsync(Path.Combine(root, "clients", "README.md"));
        var snippets = CSharpBlock().Matches(readme).Select(m => m.Groups["code"].Value).ToList();
        Assert.True(snippets.Count >= 8, $"expected a snippet per task, found {snippets.Count}");

        await using var server = await SdkHost.StartAsync(
        [
            new("Auth:Mode", "Development"),
            new("Auth:DevelopmentToken", "quickstart-token"),
        ]);
        var client = server.CreateClient("quickstart-token");
        await client.Tasks.RunAsync("demo", "/demo/hello", (task, _) =>
        {
            task.Log("step 1");
            return Task.CompletedTask;
        }).WithTimeout();

        var project = Directory.CreateTempSubdirectory("eventlog-snippets-");
        try
        {
            await WriteProjectAsync(project.FullName, snippets, server.Address);
            var output = await SdkConsumerProject.BuildAndRunAsync(project.FullName, TimeSpan.FromMinutes(5));
            Assert.Contains($"snippets passed: {snippets.Count}", output, StringComparison.Ordinal);
        }
        finally
        {
            project.Delete(recursive: true);
        }
    }

    private static async Task WriteProjectAsync(string directory, List<string> snippets, Uri address)
    {
        await SdkConsumerProject.WriteAsync(directory, "Snippets",
            properties: "<NoWarn>$(NoWarn);NU1603;CS1998</NoWarn>",
            items: """<FrameworkReference Include="Microsoft.AspNetCore.App" />""");
        var main = new StringBuilder("var passed = 0;\n");
        for (var i = 0; i < snippets.Count; i++)
        {
            var lines = snippets[i].Replace("http://127.0.0.1:50051", address.ToString().TrimEnd('/'), StringComparison.Ordinal).Split('\n');
            var usings = lines.TakeWhile(l => l.StartsWith("using ", StringComparison.Ordinal) && !l.Contains('=', StringComparison.Ordinal) || l.Length == 0).ToList();
            var body = string.Join('\n', lines.Skip(usings.Count));
            await File.WriteAllTextAsync(Path.Combine(directory, $"Snippet{i}.cs"), $$"""
                {{string.Join('\n', usings)}}

                internal static class Snippet{{i}}
                {
                    public static async Task RunAsync()
                    {
                {{body}}
                    }
                }
                """);
            main.Append($"Console.WriteLine(\"--- snippet {i}\");\nawait Snippet{i}.RunAsync();\npassed++;\n");
        }
        main.Append("Console.WriteLine($\"snippets passed: {passed}\");\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "Program.cs"), main.ToString());
    }

    [GeneratedRegex(@"```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
