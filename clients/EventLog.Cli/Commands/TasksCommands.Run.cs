using System.CommandLine;
using System.Diagnostics;
using EventLog.Client;
using EventLog.V1;

namespace EventLog.Cli.Commands;

internal static partial class TasksCommands
{
    /// <summary>
    /// Runs a program as a task: its output becomes the task's log, its exit code the outcome, and
    /// cancelling the task (eventlog tasks cancel) stops it. Handy for scripts and for trying EventLog out.
    /// </summary>
    private static Command Run()
    {
        var app = new Option<string>("--app") { Description = "App or plugin the task belongs to", DefaultValueFactory = _ => "shell" };
        var target = new Option<string>("--target") { Description = "Resource the task works on, e.g. /hosts/node1/upgrade", Required = true };
        var failCode = new Option<string>("--fail-code") { Description = "Catalog detail code recorded when the program fails (parameter err)", DefaultValueFactory = _ => "WOKASYNC0002E" };
        var program = new Argument<string[]>("command") { Description = "The program and its arguments, after --", Arity = ArgumentArity.OneOrMore };
        var command = new Command("run", "Run a program as a task: its output is the task's log, its exit code the outcome (eventlog tasks run --target /x -- make all)")
        {
            app, target, failCode, program,
        };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var argv = ctx.Get(program);
            await using var task = await ctx.Client.Tasks.StartAsync(ctx.Get(app), ctx.Get(target), new TaskScopeOptions { WatchForCancellation = true }, ct);
            ctx.Error.WriteLine($"task {task.Id} started: {string.Join(' ', argv)}");
            var start = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in argv.Skip(1))
            {
                start.ArgumentList.Add(arg);
            }
            using var process = Process.Start(start) ?? throw new UsageException($"Could not start '{argv[0]}'.");
            var pump = Task.WhenAll(PumpAsync(process.StandardOutput, task), PumpAsync(process.StandardError, task));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, task.CancellationToken);
            try
            {
                await process.WaitForExitAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
            await pump;
            AsyncTask final;
            if (task.CancellationToken.IsCancellationRequested)
            {
                final = await task.ConfirmCancelledAsync(CancellationToken.None);
            }
            else if (process.ExitCode == 0)
            {
                final = await task.CompleteAsync(CancellationToken.None);
            }
            else
            {
                final = await task.FailAsync(ctx.Get(failCode), new Dictionary<string, string> { ["err"] = $"'{argv[0]}' exited with code {process.ExitCode}" }, CancellationToken.None);
            }
            WriteTask(ctx, final);
            return final.State == TaskState.Succeeded ? ExitCodes.Success : ExitCodes.OperationFailed;
        });
        return command;
    }

    private static async Task PumpAsync(StreamReader reader, TaskScope task)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            task.Log(line);
        }
    }
}
