using System.CommandLine;
using EventLog.Cli.Output;
using EventLog.Client;
using EventLog.V1;

namespace EventLog.Cli.Commands;

/// <summary><c>eventlog tasks list|show|tail|wait|cancel|run</c>.</summary>
internal static partial class TasksCommands
{
    public static Command Create()
    {
        var tasks = new Command("tasks", "Asynchronous tasks: list, show, tail their logs, wait for them");
        tasks.Subcommands.Add(List().WithLocale().WithAllProjects());
        tasks.Subcommands.Add(Show().WithLocale());
        tasks.Subcommands.Add(Tail());
        tasks.Subcommands.Add(Wait().WithLocale());
        tasks.Subcommands.Add(Cancel());
        tasks.Subcommands.Add(Run());
        return tasks;
    }

    private static Argument<long> TaskId() => new("task-id") { Description = "The task's id (the \"task ID 100\" of the log messages)" };

    private static Command List()
    {
        var state = Parsing.Choice("--state", "Only tasks in this state", Parsing.TaskStates);
        var app = new Option<string?>("--app") { Description = "Only tasks of this app or plugin" };
        var target = new Option<string?>("--target") { Description = "Only tasks whose target URI starts with this" };
        var since = Parsing.Since();
        var until = Parsing.Until();
        var limit = Parsing.Limit(50, "tasks");
        var command = new Command("list", "List tasks, newest first") { state, app, target, since, until, limit };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var request = new ListTasksRequest
            {
                State = Parsing.TaskState(ctx.Get(state)),
                App = ctx.Get(app) ?? "",
                TargetUriPrefix = ctx.Get(target) ?? "",
                Created = Parsing.Range(ctx.Get(since), ctx.Get(until)),
                PageSize = PageSize(ctx.Get(limit)),
                AllProjects = ctx.AllProjects,
            };
            var items = await Parsing.TakeAsync(ctx.Client.Tasks.ListTasksAsync(request, ct), ctx.Get(limit), ct);
            if (ctx.Json)
            {
                Json.WriteArray(ctx.Out, items);
                return ExitCodes.Success;
            }
            var table = Table.PerProject(ctx.AllProjects, "ID", "App", "Target", "State", "Progress", "Created", "Duration", "Lines");
            foreach (var t in items)
            {
                table.AddForProject(t.Project, t.Id, t.App, t.TargetUri, Format.State(t.State) + (t.CancelRequested && !IsFinal(t.State) ? " (cancelling)" : ""), $"{t.ProgressPercent}%", Format.Time(t.CreatedAt), Format.Duration(t.Duration), t.LineCount);
            }
            table.Write(ctx.Out);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Argument<string> TaskRef() => new("task") { Description = "A task id, or with --target: 'active' (its running task), 'last' (its last finished task) or 'latest' (its newest task, running or not)" };

    private static Option<string?> Target() => new("--target") { Description = "With 'active', 'last' or 'latest': the target URI, matched exactly" };

    private static Option<string?> TargetApp() => new("--app") { Description = "With 'active', 'last' or 'latest': the app, when targets of several apps share a URI" };

    /// <summary>Resolves a task id, or 'active' / 'last' (contiv's job get active|last) / 'latest' of a target.</summary>
    private static async Task<AsyncTask?> ResolveAsync(CommandContext ctx, string value, string? targetUri, string? app, CancellationToken ct, bool fetch = true)
    {
        if (value == "latest")
        {
            if (string.IsNullOrEmpty(targetUri))
            {
                throw new UsageException("'latest' needs --target <uri>.");
            }
            var request = new ListTasksRequest { TargetUriPrefix = targetUri, App = app ?? "", PageSize = 100 };
            await foreach (var candidate in ctx.Client.Tasks.ListTasksAsync(request, ct))
            {
                if (candidate.TargetUri == targetUri)
                {
                    return candidate;
                }
            }
            throw new EventLogException(Grpc.Core.StatusCode.NotFound, $"No task for '{targetUri}'.", "NOT_FOUND");
        }
        if (value is "active" or "last")
        {
            if (string.IsNullOrEmpty(targetUri))
            {
                throw new UsageException($"'{value}' needs --target <uri>.");
            }
            return value == "active"
                ? await ctx.Client.Tasks.GetActiveTaskAsync(targetUri, app, ct)
                : await ctx.Client.Tasks.GetLastTaskAsync(targetUri, app, ct);
        }
        if (long.TryParse(value, out var id) && id > 0)
        {
            return fetch ? await ctx.Client.Tasks.GetTaskAsync(id, ct) : new AsyncTask { Id = id };
        }
        throw new UsageException($"'{value}' is not a task id, 'active', 'last' or 'latest'.");
    }

    private static Command Show()
    {
        var which = TaskRef();
        var target = Target();
        var app = TargetApp();
        var command = new Command("show", "Show one task: state, progress, times, duration, failure detail") { which, target, app };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var task = await ResolveAsync(ctx, ctx.Get(which), ctx.Get(target), ctx.Get(app), ct);
            WriteTask(ctx, task!);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Tail()
    {
        var which = TaskRef();
        var target = Target();
        var app = TargetApp();
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until the task ends (survives server restarts)" };
        var after = new Option<long>("--after") { Description = "Start after this line number" };
        var command = new Command("tail", "Print a task's log lines; with --follow, keep printing until the task ends") { which, target, app, follow, after };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var task = await ResolveAsync(ctx, ctx.Get(which), ctx.Get(target), ctx.Get(app), ct, fetch: false);
            await foreach (var line in ctx.Client.Tasks.TailLogAsync(task!.Id, ctx.Get(after), ctx.Get(follow), ctx.StreamOptions, ct))
            {
                if (ctx.Json)
                {
                    Json.WriteValueLine(ctx.Out, new { line = line.Number, text = line.Text });
                }
                else
                {
                    ctx.Out.WriteLine(line.Text);
                }
                ctx.Out.Flush();
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Wait()
    {
        var id = TaskId();
        var timeout = new Option<string?>("--timeout") { Description = "Give up after this long (e.g. 90s, 10m, 1h); exit code 4. Default: wait until the task ends" };
        var command = new Command("wait", "Wait until a task ends and show it; exit code 0 if it succeeded, 5 if it failed or was cancelled") { id, timeout };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var task = await ctx.Client.Tasks.WaitTaskAsync(ctx.Get(id), Parsing.Duration(ctx.Get(timeout), "--timeout"), ct);
            WriteTask(ctx, task);
            return task.State == TaskState.Succeeded ? ExitCodes.Success : ExitCodes.OperationFailed;
        });
        return command;
    }

    private static Command Cancel()
    {
        var id = TaskId();
        var command = new Command("cancel", "Ask the worker running a task to cancel it") { id };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            WriteTask(ctx, await ctx.Client.Tasks.CancelTaskAsync(ctx.Get(id), ct));
            return ExitCodes.Success;
        });
        return command;
    }

    internal static void WriteTask(CommandContext ctx, AsyncTask t)
    {
        if (ctx.Json)
        {
            Json.Write(ctx.Out, t);
            return;
        }
        Table.Properties(
        [
            ("id", t.Id),
            ("project", t.Project),
            ("app", t.App),
            ("target_uri", t.TargetUri),
            ("state", Format.State(t.State)),
            ("cancel_requested", t.CancelRequested ? "yes" : "no"),
            ("progress", $"{t.ProgressPercent}%"),
            ("progress_message", t.ProgressMessage),
            ("created_at", Format.Time(t.CreatedAt)),
            ("started_at", Format.Time(t.StartedAt)),
            ("finished_at", Format.Time(t.FinishedAt)),
            ("duration", Format.Duration(t.Duration)),
            ("lines", t.LineCount),
            ("detail_code", t.DetailCode),
            ("detail", t.DetailMessage),
            ("spawning_request_id", t.SpawningRequestId),
        ]).Write(ctx.Out);
    }

    private static bool IsFinal(TaskState state) => state is TaskState.Succeeded or TaskState.Failed or TaskState.Cancelled;

    internal static int PageSize(int limit) => limit is > 0 and <= 1000 ? limit : 0;
}
