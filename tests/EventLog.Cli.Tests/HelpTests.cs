using System.CommandLine;
using System.Text.RegularExpressions;

namespace EventLog.Cli.Tests;

/// <summary>Every command of the tree answers --help with exit 0; every leaf prints its description, arguments and options.</summary>
public sealed partial class HelpTests
{
    private static readonly Uri Nowhere = new("http://127.0.0.1:1");

    public static TheoryData<string> CommandPaths()
    {
        var data = new TheoryData<string>();
        foreach (var (path, _) in CliCommandTree.Commands())
        {
            data.Add(path);
        }
        return data;
    }

    [Fact]
    public void Tree_HasTheDocumentedCommandGroups()
    {
        // Guards against an empty walk; the theory below covers whatever the tree holds.
        var paths = CliCommandTree.Commands().Select(c => c.Path).ToList();
        Assert.Superset(new HashSet<string> { "tasks", "requests", "timeline", "messages", "progress", "logs", "token" }, paths.ToHashSet());
        // 22 leaves when this was written.
        Assert.True(paths.Count(p => CliCommandTree.Find(p).Subcommands.Count == 0) >= 22, string.Join(", ", paths));
    }

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public async Task Help_ExitsZero_AndLeavesPrintDescriptionArgumentsAndOptions(string path)
    {
        var command = CliCommandTree.Find(path);

        var result = await CliRunner.RunAsync(Nowhere, null, [.. path.Split(' '), "--help"]).WithTimeout();

        Assert.True(result.ExitCode == 0, result.ToString());
        var help = Flat(result.Output);
        Assert.Contains($"Usage: eventlog {path}", help, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(command.Description), $"'{path}' has no description");
        Assert.Contains($"Description: {Flat(command.Description!)}", help, StringComparison.Ordinal);
        if (command.Subcommands.Count > 0)
        {
            Assert.All(command.Subcommands.Where(c => !c.Hidden), sub => Assert.Contains(sub.Name, help, StringComparison.Ordinal));
            return;
        }
        foreach (var argument in command.Arguments.Where(a => !a.Hidden))
        {
            Assert.Contains($"<{argument.Name}>", help, StringComparison.Ordinal);
            Assert.Contains(Flat(argument.Description ?? ""), help, StringComparison.Ordinal);
        }
        Assert.Contains("Options:", help, StringComparison.Ordinal);
        foreach (var option in CliCommandTree.VisibleOptions(path))
        {
            Assert.Contains(option.Name, help, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(option.Description), $"'{path} {option.Name}' has no description");
            Assert.Contains(Flat(option.Description!), help, StringComparison.Ordinal);
        }
    }

    /// <summary>Whitespace runs as one space, so wrapped or indented help text compares with the source strings.</summary>
    private static string Flat(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
