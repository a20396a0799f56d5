using System.CommandLine;
using EventLog.Cli.Output;
using EventLog.Client;
using EventLog.V1;

namespace EventLog.Cli.Commands;

/// <summary><c>eventlog logs list|show|enable|disable|publish|discard|tail|save</c> (Trove's log-* commands).</summary>
internal static partial class LogsCommands
{
    public static Command Create()
    {
        var logs = new Command("logs", "Guest logs of an instance: list, show, enable, disable, publish, discard, tail, save");
        logs.Subcommands.Add(List());
        logs.Subcommands.Add(Action("show", "Show one log", (c, i, l, ct) => c.Client.GuestLogs.GetLogAsync(i, l, ct)));
        logs.Subcommands.Add(Action("enable", "Enable a USER log (the agent starts writing it; may need a datastore restart)", (c, i, l, ct) => c.Client.GuestLogs.EnableLogAsync(i, l, ct)));
        logs.Subcommands.Add(Action("disable", "Disable a USER log (published data is kept)", (c, i, l, ct) => c.Client.GuestLogs.DisableLogAsync(i, l, ct)));
        logs.Subcommands.Add(Publish());
        logs.Subcommands.Add(Action("discard", "Delete the log's published data; the next publish starts over", (c, i, l, ct) => c.Client.GuestLogs.DiscardLogAsync(i, l, ct)));
        logs.Subcommands.Add(Tail());
        logs.Subcommands.Add(Save());
        return logs;
    }

    private static Argument<string> Instance() => new("instance") { Description = "The instance's id" };

    private static Argument<string> LogName() => new("log") { Description = "The log's name, e.g. guest or slow_query" };

    private static Option<bool> PublishFirst() => new("--publish") { Description = "Publish the log first and wait for the agent" };

    private static Command List()
    {
        var instance = Instance();
        var command = new Command("list", "List an instance's logs: Name, Type, Status, Published, Pending") { instance };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var logs = await ctx.Client.GuestLogs.ListLogsAsync(ctx.Get(instance), ct);
            if (ctx.Json)
            {
                Json.WriteArray(ctx.Out, logs);
                return ExitCodes.Success;
            }
            var table = new Table("Name", "Type", "Status", "Published", "Pending");
            foreach (var log in logs)
            {
                table.Add(log.Name, Format.LogType(log.Type), Format.LogStatus(log.Status), log.PublishedBytes, log.PendingBytes);
            }
            table.Write(ctx.Out);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Action(string name, string description, Func<CommandContext, string, string, CancellationToken, Task<GuestLog>> call)
    {
        var instance = Instance();
        var log = LogName();
        var command = new Command(name, description) { instance, log };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            WriteLog(ctx, await call(ctx, ctx.Get(instance), ctx.Get(log), ct));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Tail()
    {
        var instance = Instance();
        var log = LogName();
        var lines = new Option<long>("--lines") { Description = "N > 0: the last N lines; N < 0: the lines past line |N| (from |N|+1); 0: the whole log", DefaultValueFactory = _ => 50 };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing lines as they are published (Ctrl+C to stop)" };
        var publish = PublishFirst();
        var command = new Command("tail", "Print the last lines of a published log; with --follow, keep printing new ones") { instance, log, lines, follow, publish };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            if (ctx.Get(publish))
            {
                await ctx.Client.GuestLogs.PublishLogAsync(ctx.Get(instance), ctx.Get(log), null, ct);
            }
            var streamOptions = ctx.StreamOptions;
            var logStart = 0L;
            var printed = false;
            streamOptions.OnLogStart = first =>
            {
                logStart = first;
                if (first > 1)
                {
                    ctx.Error.WriteLine(ExpiredNote(first, null));
                }
            };
            streamOptions.OnReset = oldest =>
            {
                // Asked for lines that expired: the note above already said where the log starts.
                if (!printed && oldest == logStart && logStart > 1)
                {
                    return;
                }
                ctx.Error.WriteLine($"-- the log was rotated or discarded, or its older lines expired; continuing at line {oldest} --");
            };
            await foreach (var line in ctx.Client.GuestLogs.TailLogAsync(ctx.Get(instance), ctx.Get(log), ctx.Get(lines), ctx.Get(follow), streamOptions, ct))
            {
                printed = true;
                if (ctx.Json)
                {
                    Json.WriteValueLine(ctx.Out, new { line = line.Number, text = line.Text, reset = line.AfterReset });
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

    private static Command Save()
    {
        var instance = Instance();
        var log = LogName();
        var file = new Option<string?>("--file") { Description = "The file to write; default <log>.log in the current directory" };
        var publish = PublishFirst();
        var progress = TransferProgress.Option();
        var command = new Command("save", "Save a whole published log to a file, byte for byte") { instance, log, file, publish, progress };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var logName = ctx.Get(log);
            if (ctx.Get(publish))
            {
                await PublishAsync(ctx, new PublishLogRequest { InstanceId = ctx.Get(instance), LogName = logName }, ctx.Get(progress), ct);
            }
            var path = Path.GetFullPath(ctx.Get(file) ?? logName + ".log");
            var reporter = TransferProgress.Create(ctx.Error, $"saving {logName}", $"saved {logName}", ctx.Get(progress));
            var saved = await ctx.Client.GuestLogs.SaveLogToFileAsync(ctx.Get(instance), logName, path, reporter, ct);
            var bytes = new FileInfo(path).Length;
            reporter?.Complete(new GuestLogTransfer(bytes, bytes));
            if (saved.FirstAvailableLine > 1)
            {
                ctx.Error.WriteLine(ExpiredNote(saved.FirstAvailableLine, saved.FirstAvailableOffset));
            }
            if (ctx.Json)
            {
                Json.WriteValue(ctx.Out, new { file = path, bytes, log = saved.Name });
            }
            else
            {
                ctx.Out.WriteLine($"Saved {bytes} bytes of log '{saved.Name}' to {path}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The one-line note on stderr when the start of a log expired (retention).</summary>
    private static string ExpiredNote(long firstLine, long? firstOffset) =>
        $"note: lines 1-{firstLine - 1}{(firstOffset is { } bytes ? $" ({bytes} bytes)" : "")} of this log expired; it starts at line {firstLine}";

    private static void WriteLog(CommandContext ctx, GuestLog log)
    {
        if (ctx.Json)
        {
            Json.Write(ctx.Out, log);
            return;
        }
        Table.Properties(
        [
            ("name", log.Name),
            ("type", Format.LogType(log.Type)),
            ("status", Format.LogStatus(log.Status)),
            ("published", log.PublishedBytes),
            ("pending", log.PendingBytes),
            ("lines", log.LineCount),
            ("first_line", log.FirstAvailableLine),
            ("instance", log.InstanceId),
            ("datastore", log.Datastore),
            ("file", log.File),
            ("exposed", log.Exposed ? "yes" : "no"),
            ("published_at", Format.Time(log.PublishedAt)),
            ("updated_at", Format.Time(log.UpdatedAt)),
        ]).Write(ctx.Out);
    }
}
