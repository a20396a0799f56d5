using System.CommandLine;
using System.Reflection;

namespace EventLog.Cli.Tests.Infrastructure;

/// <summary>
/// The CLI's command tree as the CLI builds it (<c>EventLog.Cli.CliApp.Create()</c>, read by reflection from the
/// built eventlog.dll), so a test over every command covers a command added later without editing a list.
/// </summary>
public static class CliCommandTree
{
    private static readonly Lazy<RootCommand> LazyRoot = new(LoadRoot);

    /// <summary>The root command.</summary>
    public static RootCommand Root => LazyRoot.Value;

    /// <summary>Every command below the root with its path (<c>tasks tail</c>), depth first.</summary>
    public static IReadOnlyList<(string Path, Command Command)> Commands() => [.. Walk(Root, "")];

    /// <summary>The options a command's help lists: its own and the recursive ones of its ancestors, hidden ones left out.</summary>
    public static IEnumerable<Option> VisibleOptions(string path)
    {
        var chain = new List<Command> { Root };
        foreach (var name in path.Split(' '))
        {
            chain.Add(chain[^1].Subcommands.Single(c => c.Name == name));
        }
        var own = chain[^1].Options;
        var inherited = chain.Take(chain.Count - 1).SelectMany(c => c.Options).Where(o => o.Recursive);
        return own.Concat(inherited).Where(o => !o.Hidden).DistinctBy(o => o.Name);
    }

    /// <summary>The command at <paramref name="path"/>.</summary>
    public static Command Find(string path) => Commands().Single(c => c.Path == path).Command;

    private static IEnumerable<(string Path, Command Command)> Walk(Command command, string prefix)
    {
        foreach (var child in command.Subcommands.Where(c => !c.Hidden))
        {
            var path = prefix.Length == 0 ? child.Name : $"{prefix} {child.Name}";
            yield return (path, child);
            foreach (var below in Walk(child, path))
            {
                yield return below;
            }
        }
    }

    private static RootCommand LoadRoot()
    {
        var cli = Assembly.LoadFrom(CliRunner.DllPath);
        var app = cli.GetType("EventLog.Cli.CliApp", throwOnError: true)!;
        var create = app.GetMethod("Create", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new MissingMethodException("EventLog.Cli.CliApp", "Create");
        return (RootCommand)create.Invoke(null, null)!;
    }
}
