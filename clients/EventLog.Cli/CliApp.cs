using System.CommandLine;
using EventLog.Cli.Commands;

namespace EventLog.Cli;

/// <summary>The <c>eventlog</c> command tree and its entry point.</summary>
internal static class CliApp
{
    public static RootCommand Create()
    {
        var root = new RootCommand($"""
            eventlog: inspect what happens to asynchronous operations recorded by EventLog.

            The server address and token come from --address / --token or the environment variables
            {GlobalOptions.AddressVariable} and {GlobalOptions.TokenVariable}. Tables are printed for people, --json for scripts.
            {ExitCodes.Help}
            """);
        GlobalOptions.AddTo(root);
        root.Subcommands.Add(TasksCommands.Create());
        root.Subcommands.Add(RequestsCommands.Create());
        root.Subcommands.Add(RequestsCommands.Timeline());
        root.Subcommands.Add(MessagesCommands.Create());
        root.Subcommands.Add(ProgressCommands.Create());
        root.Subcommands.Add(LogsCommands.Create());
        root.Subcommands.Add(TokenCommands.Create());
        return root;
    }

    /// <summary>Parses and runs; a command line that does not parse exits with 2 after saying why.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Create().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}");
            }
            var path = string.Join(' ', parse.CommandResult.Command.Name == "eventlog" ? ["eventlog"] : CommandPath(parse.CommandResult));
            await Console.Error.WriteLineAsync($"Run '{path} --help' for usage.");
            return ExitCodes.Invalid;
        }
        return await parse.InvokeAsync();
    }

    private static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (System.CommandLine.Parsing.SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is System.CommandLine.Parsing.CommandResult command)
            {
                names.Push(command.Command is RootCommand ? "eventlog" : command.Command.Name);
            }
        }
        return names;
    }
}
